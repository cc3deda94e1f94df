/**
 * The usage-data settings page: two switches backed by /api/settings/usage-data. The gateway owns
 * the coupling rules and the recording time box; the page shows the state it answers with, says
 * in plain words what each mode sends to whom, asks before recording starts, and says when a
 * change moved the other switch too. After every change it re-applies the analytics config (which
 * starts or stops session replay) here and in the user's other tabs; a change made in another tab
 * shows here.
 */
import * as analytics from '/analytics/second-analytics.js';
import { api } from '/app/api.js';
import { showRecordingBadge } from '/app/recording-badge.js';

const SETTINGS_URL = '/api/settings/usage-data';
const DISCLOSURE_URL = '/api/settings/usage-data/disclosure';

const $ = (id) => document.getElementById(id);
const form = $('usage-data');
const switches = { anonymized: $('anonymized'), screenRecording: $('screen-recording') };
const status = $('status');
const error = $('error');
const dialog = $('confirm-recording');

let settings = null; // what the gateway last said is in force
let disclosure = null;
let saving = false;
let queue = Promise.resolve();

// One message at a time: a new status replaces an old error and the other way round.
function showStatus(text) {
  error.replaceChildren();
  status.textContent = text;
}

function showError(...content) {
  status.textContent = '';
  error.replaceChildren(...content);
}

function render(next) {
  settings = next;
  switches.anonymized.checked = next.anonymized;
  switches.screenRecording.checked = next.screenRecording;
  renderTimeBox();
  renderEffective();
}

function renderDisclosure() {
  const host = disclosure.recipientHost ? new URL(disclosure.recipientHost).host : null;
  $('recipient-line').querySelector('strong').textContent = host ? `PostHog (${host})` : 'PostHog';
  $('analytics-off').hidden = disclosure.analyticsEnabled;
  $('gpc').hidden = !disclosure.globalPrivacyControl;
  if (disclosure.privacyPolicyUrl) {
    $('privacy-policy-link').href = disclosure.privacyPolicyUrl;
    $('privacy-policy').hidden = false;
  }
  const limit = disclosure.recordingMaxDurationSeconds;
  $('time-box-help').textContent = limit
    ? `It turns itself off after ${duration(limit)}, and anonymization comes back on.` : '';
  $('confirm-time-box').textContent = limit
    ? `Recording turns itself off after ${duration(limit)}; anonymization then comes back on.`
    : 'Recording stays on until you turn it off.';
}

// What actually applies to this browser's events, which Global Privacy Control can override.
function renderEffective() {
  let text;
  if (!disclosure.analyticsEnabled) {
    text = 'In force: nothing is sent, because analytics are off for this deployment.';
  } else if (disclosure.globalPrivacyControl) {
    text = 'In force in this browser: anonymized, no screen recording (Global Privacy Control).';
  } else if (settings.screenRecording) {
    text = 'In force: not anonymized, and your screen is recorded.';
  } else if (!settings.anonymized) {
    text = 'In force: not anonymized, no screen recording.';
  } else {
    text = 'In force: anonymized, no screen recording.';
  }
  $('effective').textContent = text;
}

function renderTimeBox() {
  const timeBox = $('time-box');
  const endsAt = settings.screenRecording && settings.screenRecordingEndsAt ? new Date(settings.screenRecordingEndsAt) : null;
  timeBox.hidden = endsAt === null;
  timeBox.textContent = endsAt
    ? `Screen recording turns itself off at ${endsAt.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}, and anonymization comes back on.`
    : '';
}

function duration(seconds) {
  const unit = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return unit(seconds / 60, 'minute');
  return unit(seconds, 'second');
}

// From posthog-js itself: "active" only once it reports that it records.
function describeReplay({ status: replay, reason }) {
  const texts = {
    off: 'Screen recording is not active in this tab.',
    starting: 'Screen recording is starting in this tab…',
    recording: 'Screen recording is active in this tab.',
    failed: `Screen recording is on in your settings, but could not start in this tab (${reason}). Nothing is being recorded here.`,
  };
  $('replay').textContent = texts[replay] ?? texts.off;
}

function describeState(next) {
  if (next.screenRecording) return 'Screen recording is on, and anonymization is off.';
  return `Anonymization is ${next.anonymized ? 'on' : 'off'}, and screen recording is off.`;
}

// What a change did, in words, naming the switch the coupling moved as well.
function describeChange(name, before, after) {
  const parts = [];
  if (name === 'screenRecording') {
    parts.push(`Screen recording is ${after.screenRecording ? 'on' : 'off'}.`);
    if (before.anonymized && !after.anonymized) parts.push('Anonymization was turned off, because a recording shows your real screen.');
  } else {
    parts.push(`Anonymization is ${after.anonymized ? 'on' : 'off'}.`);
    if (before.screenRecording && !after.screenRecording) parts.push('Screen recording was turned off, because it cannot be anonymized.');
  }
  return parts.join(' ');
}

function setBusy(busy) {
  saving = busy;
  form.setAttribute('aria-busy', String(busy));
  for (const input of Object.values(switches)) input.disabled = busy;
}

function signInLink(text) {
  const link = document.createElement('a');
  link.href = '/demo';
  link.id = 'sign-in-again';
  link.textContent = text;
  return link;
}

// The session is gone (another tab signed out, or it expired): nothing here can be shown or
// saved any more, so say so and offer the way back.
function sessionLost(failure) {
  form.hidden = true;
  $('what-is-sent').hidden = true;
  $('gpc').hidden = true;
  if (failure?.status === 403) {
    showError('Finish onboarding before changing your usage data settings. ', signInLink('Go to onboarding'));
  } else {
    showError('Your session has ended, so your settings can no longer be shown or saved. ', signInLink('Sign in again'));
  }
}

function showSignedOut(text) {
  $('signed-out-text').textContent = text;
  $('signed-out').hidden = false;
}

async function change(name, value, input) {
  const before = settings;
  setBusy(true);
  showStatus('Saving…');
  let lost = false;
  try {
    const after = await api('PUT', SETTINGS_URL, { [name]: value });
    render(after);
    showStatus(describeChange(name, before, after));
  } catch (failure) {
    render(before); // the gateway changed nothing
    if (failure.status === 401 || failure.status === 403) {
      lost = true;
      sessionLost(failure);
    } else {
      showError(`Could not save: ${failure.message}`);
    }
  } finally {
    setBusy(false);
  }
  // Disabling the switch took the keyboard focus away from it; give it back.
  if (lost) {
    $('sign-in-again')?.focus();
  } else if (document.activeElement === document.body || document.activeElement === null) {
    input.focus();
  }
  await analytics.refreshConfig({ tellOtherTabs: true });
}

function enqueue(name, value, input) {
  // Changes are saved one after the other, so nothing can reorder them.
  queue = queue.then(() => change(name, value, input));
  return queue;
}

switches.anonymized.addEventListener('change', () => enqueue('anonymized', switches.anonymized.checked, switches.anonymized));

switches.screenRecording.addEventListener('change', () => {
  const input = switches.screenRecording;
  if (!input.checked) {
    enqueue('screenRecording', false, input);
    return;
  }
  // Nothing is recorded before the user said yes to what the dialog explains.
  input.checked = false;
  dialog.returnValue = '';
  dialog.showModal();
});

$('confirm-start').addEventListener('click', () => dialog.close('confirm'));
$('confirm-cancel').addEventListener('click', () => dialog.close('cancel'));
dialog.addEventListener('close', () => {
  const input = switches.screenRecording;
  if (dialog.returnValue === 'confirm') {
    enqueue('screenRecording', true, input).then(() => input.focus());
  } else {
    showStatus('Screen recording stays off.');
    input.focus();
  }
});

// Another tab changed the settings, or the recording time box ran out: show what is in force now.
async function followChanges() {
  if (saving || settings === null || form.hidden) return;
  const user = analytics.currentUser();
  if (!user) {
    sessionLost({ status: 401 });
    return;
  }
  let next;
  try {
    next = await api('GET', SETTINGS_URL);
  } catch (failure) {
    if (failure.status === 401 || failure.status === 403) sessionLost(failure);
    return;
  }
  if (saving) return;
  const before = settings;
  if (before.anonymized === next.anonymized && before.screenRecording === next.screenRecording) return;
  render(next);
  const ended = before.screenRecording && before.screenRecordingEndsAt && !next.screenRecording
    && Date.parse(before.screenRecordingEndsAt) <= Date.now() + 1000;
  showStatus(ended
    ? 'Screen recording turned itself off at the end of its time limit. Anonymization is on again.'
    : `Changed in another tab. ${describeState(next)}`);
}

async function start() {
  showRecordingBadge();
  analytics.onReplay(describeReplay);
  const config = await analytics.init({ surface: 'settings' });
  try {
    const user = analytics.currentUser();
    if (config === null) {
      showError('The gateway could not be reached. Check your connection and reload the page.');
    } else if (!user) {
      showSignedOut('You are not signed in, so there are no settings to show.');
    } else if (!user.onboarded) {
      showSignedOut('Finish onboarding first: usage data is recorded only after it.');
      $('sign-in').textContent = 'Go to onboarding';
    } else {
      [disclosure, settings] = await Promise.all([api('GET', DISCLOSURE_URL), api('GET', SETTINGS_URL)]);
      renderDisclosure();
      render(settings);
      form.hidden = false;
      $('what-is-sent').hidden = false;
      describeReplay(analytics.replayStatus());
      analytics.onConfig(() => followChanges());
      analytics.capture('page viewed');
    }
  } catch (failure) {
    if (failure.status === 401 || failure.status === 403) {
      sessionLost(failure);
    } else {
      showError(`Could not load your settings: ${failure.message}`);
    }
  }
  $('loading').hidden = true;
  document.body.dataset.ready = 'true'; // for tests and screenshots
}

start();
