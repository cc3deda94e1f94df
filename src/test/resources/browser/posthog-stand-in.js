// A stand-in for posthog-js's array.js, served by the tests' fake PostHog at the scriptUrl. It
// offers the calls the gateway's browser client makes, and records each in window.__posthogCalls,
// so a test can see what session replay was asked to do.
(function () {
  var calls = (window.__posthogCalls = window.__posthogCalls || []);
  window.__posthogLoads = (window.__posthogLoads || 0) + 1;
  var recording = false;
  function record(method, args) {
    calls.push({ method: method, args: JSON.parse(JSON.stringify(Array.prototype.slice.call(args))) });
  }
  window.posthog = {
    __standIn: true,
    init: function () { record('init', arguments); },
    identify: function () { record('identify', arguments); },
    startSessionRecording: function () { recording = true; record('startSessionRecording', arguments); },
    stopSessionRecording: function () { recording = false; record('stopSessionRecording', arguments); },
    reset: function () { record('reset', arguments); },
    sessionRecordingStarted: function () { return recording; }
  };
})();
