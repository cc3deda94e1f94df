/**
 * The demo page: accounts, onboarding, the 19 events with realistic properties, and the
 * gateway's answers. It uses the browser client exactly as a product page would.
 */
import * as analytics from '/analytics/second-analytics.js';
import { api } from '/app/api.js';
import { showRecordingBadge } from '/app/recording-badge.js';

const $ = (id) => document.getElementById(id);

// The product's 19 events, each with properties a real call site would send. The counts and
// outcomes pass in both modes; identifiers (…_id, …_name) pass only when not anonymized.
export const EVENTS = [
  ['page viewed', {}],
  ['onboarding finished', { duration_ms: 84_000, skipped_step_count: 1 }],
  ['chat initiated', { entry_point: 'workspace_home', attachment_count: 1, input_character_count: 142, workspace_id: 'acme' }],
  ['sidebar clicked', { item: 'agents' }],
  ['import existing app clicked', { entry_point: 'workspace_home' }],
  ['import existing app triggered', { import_kind: 'git', file_count: 214 }],
  ['build completed', runOutcome({ duration_ms: 48_200, file_count: 12, app_id: 'app_5f0c2b1e' })],
  ['build failed', runOutcome({ duration_ms: 9_100, failure_phase: 'install', error_code: 'ETIMEDOUT' })],
  ['approval shown', { approval_kind: 'tool_call' }],
  ['approval acted', { approval_kind: 'tool_call', action: 'approve', response_ms: 3_400 }],
  ['integration setup started', { integration: 'github' }],
  ['integration setup completed', { integration: 'github', outcome: 'connected', duration_ms: 21_000 }],
  ['app displayed', { display_mode: 'preview', load_ms: 850 }],
  ['app agent triggered', runOutcome({ trigger: 'manual', agent_name: 'Weekly summary' })],
  ['app agent finished', runOutcome({ duration_ms: 12_700, tool_call_count: 5 })],
  ['app agent error', runOutcome({ duration_ms: 3_300, failure_phase: 'tool_call', error_code: 'rate_limited' })],
  ['showed suggestions tool called', { suggestion_count: 3 }],
  ['suggestion picked', { position: 1, suggestion_count: 3 }],
  ['agents approved', { agent_count: 2 }],
];

function runOutcome(extra) {
  return {
    message_count: 6, tool_call_count: 9, attachment_count: 0, file_count: 4, duration_ms: 30_000,
    runtime_id: 'node22', model: 'claude-sonnet-4-5', ...extra,
  };
}

let user = null;

function log(title, detail, ok) {
  const item = document.createElement('li');
  const heading = document.createElement('strong');
  heading.textContent = title;
  heading.className = ok ? 'ok' : 'error';
  const body = document.createElement('pre');
  body.textContent = typeof detail === 'string' ? detail : JSON.stringify(detail, null, 2);
  item.append(heading, body);
  $('log').prepend(item);
}

analytics.onResult(({ status, body, events }) => {
  const names = events.map((event) => event.event).join(', ');
  log(`POST /api/analytics/capture → ${status || 'no answer'} (${events.length} event${events.length === 1 ? '' : 's'})`,
    { answer: body, events: names }, status === 202);
  showQueue();
});

analytics.onDrop(({ count, total }) => {
  log(`Queue full: dropped the ${count} oldest event${count === 1 ? '' : 's'}`, `${total} dropped since this page loaded`, false);
  showQueue();
});

// From posthog-js itself, not from what the settings ask for.
function showRecording({ status, reason }) {
  $('recording').textContent = {
    off: 'off', starting: 'starting…', recording: 'on: posthog-js records this tab', failed: `could not start: ${reason}`,
  }[status];
}
analytics.onReplay(showRecording);
showRecording(analytics.replayStatus());

function showQueue() {
  const { queued, dropped } = analytics.queueStats();
  $('queued').textContent = dropped > 0 ? `${queued} (${dropped} dropped: the queue was full)` : String(queued);
}

function showAnonymousId() {
  // Never created just to be shown: it exists once an event was captured for an onboarded user.
  $('anonymous-id').textContent = analytics.existingAnonymousId() ?? '(none yet: created with the first event)';
}

// Shows who is signed in and the mode, from what the analytics client last read (the session and
// config routes, each asked once per refresh).
function render(config) {
  user = analytics.currentUser();
  $('who').textContent = user
    ? `Signed in as ${user.email}${user.onboarded ? ', onboarded.' : '. Finish onboarding to send events.'}`
    : 'Not signed in.';
  $('who').dataset.state = user ? (user.onboarded ? 'onboarded' : 'signed-in') : 'signed-out';
  $('credentials').hidden = Boolean(user);
  $('onboard').hidden = !user || user.onboarded;
  $('sign-out').hidden = !user;
  $('mode').textContent = !config?.enabled ? 'analytics off (or not onboarded)' : config.anonymized ? 'anonymized' : 'identified as your user id';
  showAnonymousId();
  showQueue();
  return config;
}

// After sign-in and sign-out the user's other tabs re-read who is signed in too.
async function refresh() {
  return render(await analytics.refreshConfig({ tellOtherTabs: true }));
}

async function accountAction(action, run) {
  $('account-error').textContent = '';
  try {
    const answer = await run();
    log(action, answer ?? '(no content)', true);
  } catch (failure) {
    $('account-error').textContent = `${action}: ${failure.message}`;
    log(action, failure.problem ?? failure.message, false);
  }
  const config = await refresh();
  return config;
}

$('credentials').addEventListener('submit', (submit) => {
  submit.preventDefault();
  const email = $('email').value.trim();
  const password = $('password').value;
  const name = $('name').value.trim() || undefined;
  if (submit.submitter?.dataset.action === 'sign-up') {
    accountAction('Sign up', async () => {
      await api('POST', '/api/auth/signup', { email, password, name });
      return api('POST', '/api/auth/login', { email, password });
    });
  } else {
    accountAction('Sign in', () => api('POST', '/api/auth/login', { email, password }));
  }
});

$('onboard').addEventListener('click', async () => {
  const started = performance.now();
  const config = await accountAction('Complete onboarding', () => api('POST', '/api/onboarding/complete'));
  if (config?.enabled) {
    analytics.capture('onboarding finished', { duration_ms: Math.round(performance.now() - started), skipped_step_count: 0 });
    analytics.capture('page viewed');
  }
});

$('sign-out').addEventListener('click', () => accountAction('Sign out', async () => {
  // Sends this user's queued events, stops replay and forgets the anonymous id, before the
  // session ends.
  await analytics.signOut();
  return api('POST', '/api/auth/logout');
}));

for (const [event, properties] of EVENTS) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = event;
  button.dataset.event = event;
  button.addEventListener('click', () => {
    if (analytics.capture(event, properties) === null) log(`${event}: not sent`, 'analytics are off, or you are not onboarded', false);
    showAnonymousId();
    showQueue();
  });
  $('events').append(button);
}
$('send-all').addEventListener('click', () => {
  for (const [event, properties] of EVENTS) analytics.capture(event, properties);
  showAnonymousId();
  showQueue();
});
$('flush').addEventListener('click', () => analytics.flush());

$('path').textContent = location.pathname + location.search + location.hash;
$('route-shape').textContent = analytics.routeShape(location.pathname);
$('email').value = `demo.${crypto.randomUUID().slice(0, 8)}@example.com`;
$('password').value = 'correct horse battery';
$('name').value = 'Ada Lovelace';

// Typing again is a new attempt: the last one's error no longer applies.
$('credentials').addEventListener('input', () => {
  $('account-error').textContent = '';
});

async function start() {
  showRecordingBadge();
  const config = render(await analytics.init({ surface: 'workspace_home' }));
  if (config?.enabled) {
    analytics.capture('page viewed');
    showAnonymousId();
  }
  document.body.dataset.ready = 'true'; // for tests and screenshots
}

start();
