/**
 * The usage-data settings page: two switches backed by /api/settings/usage-data. The gateway owns
 * the coupling rules; the page shows the state it answers with and says when a change moved the
 * other switch too. After every change it re-applies the analytics config, which starts or stops
 * session replay in this tab.
 */
import * as analytics from '/analytics/second-analytics.js';
import { api } from '/app/api.js';

const form = document.getElementById('usage-data');
const switches = { anonymized: document.getElementById('anonymized'), screenRecording: document.getElementById('screen-recording') };
const status = document.getElementById('status');
const error = document.getElementById('error');
const replay = document.getElementById('replay');

let settings = null; // what the gateway last said is in force
let saving = Promise.resolve();

function render(next) {
  settings = next;
  switches.anonymized.checked = next.anonymized;
  switches.screenRecording.checked = next.screenRecording;
}

function describeReplay(config) {
  replay.textContent = config?.posthog
    ? 'Screen recording is active in this tab.'
    : 'Screen recording is not active in this tab.';
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

async function change(name, value) {
  const before = settings;
  form.setAttribute('aria-busy', 'true');
  error.textContent = '';
  try {
    const after = await api('PUT', '/api/settings/usage-data', { [name]: value });
    render(after);
    status.textContent = describeChange(name, before, after);
  } catch (failure) {
    render(before); // the gateway changed nothing
    error.textContent = `Could not save: ${failure.message}`;
  } finally {
    form.removeAttribute('aria-busy');
  }
  describeReplay(await analytics.refreshConfig());
}

for (const [name, input] of Object.entries(switches)) {
  // Changes are saved one after the other, so quick toggling cannot reorder them.
  input.addEventListener('change', () => {
    const value = input.checked;
    saving = saving.then(() => change(name, value));
  });
}

async function start() {
  const config = await analytics.init({ surface: 'settings' });
  try {
    render(await api('GET', '/api/settings/usage-data'));
    form.hidden = false;
    describeReplay(config);
    analytics.capture('page viewed');
  } catch (failure) {
    if (failure.status === 401 || failure.status === 403) {
      document.getElementById('signed-out').hidden = false;
    } else {
      error.textContent = `Could not load your settings: ${failure.message}`;
    }
  }
  document.body.dataset.ready = 'true'; // for tests and screenshots
}

start();
