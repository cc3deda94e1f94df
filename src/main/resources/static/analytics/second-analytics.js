/**
 * The browser half of the Second analytics gateway: one dependency-free ES module.
 *
 *   import * as analytics from '/analytics/second-analytics.js';
 *   await analytics.init({ surface: 'workspace_home' });
 *   analytics.capture('chat initiated', { entry_point: 'workspace_home' });
 *   await analytics.signOut();            // before the product's own logout request
 *
 * Events go only to the gateway's same-origin /api/analytics/capture, which sanitizes them and
 * forwards them to PostHog. The only thing that talks to PostHog from the browser is posthog-js
 * for session replay, and only while the user has turned screen recording on.
 * docs/browser-client.md describes every export.
 */

const ANONYMOUS_ID_KEY = 'second:analytics-anonymous-id:v1';
const ANONYMOUS_ID_SHAPE = /^anon_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Unsent events, one localStorage entry each (`<prefix><user key>:<uuid>`), so tabs never
// overwrite each other's and a reload or a lost connection loses nothing.
const QUEUE_PREFIX = 'second:analytics-queue:v1:';
const CHANNEL = 'second-analytics';
const CHANGED_KEY = 'second:analytics-config-changed:v1';

const SESSION_URL = '/api/auth/session';
const CAPTURE_URL = '/api/analytics/capture';
const CONFIG_URL = '/api/analytics/config';
const CSRF_URL = '/api/auth/csrf';
const CSRF_COOKIE = 'XSRF-TOKEN';
const CSRF_HEADER = 'X-XSRF-TOKEN';

// Brief batching: one request per second of activity, or sooner when a batch is full. The
// gateway takes up to 50 per request; 20 keeps each keepalive body far below the browser's 64 KiB
// budget for requests that outlive the page.
const FLUSH_DELAY_MS = 1000;
const MAX_BATCH = 20;
// Bounds memory and storage when the gateway is unreachable for a long time; beyond it the
// oldest events go first, and the page is told how many (onDrop).
const MAX_QUEUE = 500;
// Network failures, 5xx and 429 are retried until sent: exponential back-off with jitter,
// capped, unless the gateway says when (Retry-After).
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 60_000;
const RETRY_AFTER_MAX_MS = 3_600_000;
const RETRY_MIN_MS = 500;
// How long posthog-js may take to report that it records before the page is told it failed.
const REPLAY_START_TIMEOUT_MS = 15_000;

// A user who is not signed in, or not onboarded: the gateway would refuse their events.
const NO_ANALYTICS = Object.freeze({
  enabled: false, anonymized: true, screenRecording: false, distinctId: null, posthog: null,
});

const state = {
  config: null, // the config route's last answer; null until known
  configLoading: null,
  surface: undefined,
  user: null, // { id, key } of the signed-in user, once known; key names their stored queue
  queue: [], // { payload, user, stored, csrfRetried }
  timer: null,
  retryAt: 0,
  failures: 0, // consecutive failed sends, for the back-off
  draining: null,
  dropped: 0,
  listeners: new Set(),
  dropListeners: new Set(),
  configListeners: new Set(),
  replayListeners: new Set(),
  pageListeners: false,
  channel: null,
  endTimer: null,
  replay: {
    generation: 0, loading: null, sdk: null, initialised: false, recordingFor: null, status: 'off', reason: null,
  },
};

/**
 * Starts the client on this page: reads the analytics config (which also starts or stops
 * session replay), sends the events an earlier page left unsent, flushes queued events when the
 * page is hidden or left, and follows settings changes made in other tabs.
 *
 * @param {{surface?: string}} [options] surface: the page's product surface, e.g. workspace_home;
 *   defaults to <body data-surface>.
 * @returns {Promise<object>} the config in force
 */
export async function init(options = {}) {
  state.surface = options.surface ?? document.body?.dataset.surface ?? state.surface;
  if (!state.pageListeners) {
    state.pageListeners = true;
    // 'pagehide' covers closing and navigating away (and the back-forward cache); 'hidden'
    // covers switching tabs and apps on mobile, after which the page may be killed unannounced.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flushNow();
    });
    window.addEventListener('pagehide', flushNow);
    // Back online: no need to sit out the rest of a back-off.
    window.addEventListener('online', () => {
      if (state.queue.length === 0) return;
      state.retryAt = 0;
      flush();
    });
    listenToOtherTabs();
  }
  return refreshConfig();
}

/**
 * Asks the gateway who is signed in and for the analytics config, and applies it. Call it after
 * anything that may change it: a usage-data settings change, sign-in.
 *
 * @param {{tellOtherTabs?: boolean}} [options] tellOtherTabs: after a settings change, so the
 *   user's other tabs re-read the config too (and start or stop replay)
 */
export function refreshConfig(options = {}) {
  const loading = (async () => {
    const config = await fetchConfig();
    if (config === null) return null;
    // The gateway itself says analytics are off for this deployment: nothing stored is wanted.
    if (config !== NO_ANALYTICS && !config.enabled) forgetStoredQueue(state.user?.key);
    await applyConfig(config);
    if (options.tellOtherTabs) tellOtherTabs();
    return config;
  })();
  state.configLoading = loading;
  return loading.finally(() => {
    if (state.configLoading === loading) state.configLoading = null;
  });
}

// The session route answers 200 for anybody, so a signed-out page asks nothing that answers 401.
async function fetchConfig() {
  try {
    const session = await getJson(SESSION_URL);
    const user = session?.user ?? null;
    await setUser(user);
    // Not signed in, or not onboarded: nothing may be captured or recorded.
    if (!user?.onboarded) return NO_ANALYTICS;
    return (await getJson(CONFIG_URL)) ?? NO_ANALYTICS;
  } catch {
    // Gateway unreachable: keep what we knew; the next refresh decides again.
    return state.config ?? null;
  }
}

async function getJson(url) {
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  return response.ok ? response.json() : null;
}

/**
 * Applies a config route answer: drops queued events when analytics are off, and starts session
 * replay when it carries `posthog`, stops and resets it otherwise.
 *
 * @param {{enabled: boolean, distinctId: ?string, posthog: ?{token: string, host: string, scriptUrl: string}}} config
 */
export async function applyConfig(config) {
  state.config = config ?? NO_ANALYTICS;
  clearTimeout(state.endTimer);
  state.endTimer = null;
  if (!state.config.enabled) {
    state.queue = [];
    clearTimeout(state.timer);
    state.timer = null;
  } else {
    adoptQueue();
  }
  scheduleRecordingEnd(state.config);
  for (const listener of state.configListeners) safely(listener, state.config);
  await syncReplay(state.config);
}

/** The config in force, or null before the first answer. */
export function currentConfig() {
  return state.config;
}

/**
 * The signed-in user as the gateway's session route last answered (`{id, email, name,
 * onboarded}`), or null: nobody signed in, or not known yet.
 */
export function currentUser() {
  return state.user?.account ?? null;
}

/**
 * Calls `listener(config)` whenever a config is applied: after refreshConfig() here, or when
 * another tab changed the settings. Returns an unsubscribe function.
 */
export function onConfig(listener) {
  state.configListeners.add(listener);
  return () => state.configListeners.delete(listener);
}

/**
 * Queues one event. Adds the page context (surface, route_shape, viewport size), a client uuid
 * (so a retried event is forwarded once) and the anonymous id. The event is kept in
 * localStorage until the gateway accepted it.
 *
 * @param {string} event one of the 19 event names of the tracking plan
 * @param {object} [properties] snake_case keys; the gateway strips what the user's mode forbids
 * @returns {?string} the event's uuid, or null when analytics are off
 */
export function capture(event, properties = {}) {
  if (state.config && !state.config.enabled) return null;
  const uuid = crypto.randomUUID();
  const payload = {
    event,
    properties: {
      ...properties,
      surface: properties.surface ?? state.surface ?? undefined,
      // Never the real path: ids in it would reach PostHog before the gateway could strip them.
      route_shape: routeShape(location.pathname),
      viewport_width: window.innerWidth,
      viewport_height: window.innerHeight,
    },
    // Sent in both modes: the gateway, not this tab, decides per event whether the user is
    // anonymized (the setting may have changed in another tab), and ignores it when not. Before
    // the config is known it is left for later, so no id is made for a visitor who may not
    // count at all.
    anonymousId: state.config ? anonymousId() : undefined,
    timestamp: new Date().toISOString(),
    uuid,
  };
  if (payload.properties.surface === undefined) delete payload.properties.surface;
  const entry = { payload, user: state.config ? state.user : null, stored: false, csrfRetried: false };
  store(entry);
  state.queue.push(entry);
  enforceBound();
  if (state.queue.length >= MAX_BATCH) {
    flush();
  } else if (!state.timer) {
    schedule(Math.max(FLUSH_DELAY_MS, state.retryAt - Date.now()));
  }
  return uuid;
}

/**
 * Sends every queued event now, one batch after the other, unless the gateway asked to wait
 * or a back-off is running. Resolves when the queue is drained or waiting for a retry.
 */
export function flush() {
  clearTimeout(state.timer);
  state.timer = null;
  if (!state.draining) {
    state.draining = drain().finally(() => {
      state.draining = null;
    });
  }
  return state.draining;
}

/**
 * Subscribes to the gateway's answers, for diagnostics and the demo page.
 *
 * @param {(result: {status: number, body: any, events: object[]}) => void} listener
 * @returns {() => void} unsubscribes
 */
export function onResult(listener) {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/**
 * Subscribes to events dropped because the queue was full (the gateway unreachable for very
 * long): `listener({count, total})`, count in this overflow, total since the page loaded.
 *
 * @returns {() => void} unsubscribes
 */
export function onDrop(listener) {
  state.dropListeners.add(listener);
  return () => state.dropListeners.delete(listener);
}

/** What waits and what was lost: `{queued, dropped}`. */
export function queueStats() {
  return { queued: state.queue.length, dropped: state.dropped };
}

/**
 * Call at sign-out, before the product's own logout request: sends the user's queued events while
 * their session still exists (one more try now, even during a back-off), forgets what could not
 * be sent, stops and resets session replay, and forgets the anonymous id so the next person in
 * this browser profile is not grouped with this one. The user's other tabs stop replay too.
 */
export async function signOut() {
  if (state.queue.length > 0 && state.config?.enabled !== false) {
    state.retryAt = 0;
    await flush();
  }
  state.queue = [];
  clearTimeout(state.timer);
  state.timer = null;
  if (state.user) forgetStoredQueue(state.user.key);
  try {
    localStorage.removeItem(ANONYMOUS_ID_KEY);
  } catch {
    // storage blocked: nothing was kept
  }
  memoryAnonymousId = null;
  state.retryAt = 0;
  state.failures = 0;
  state.user = null;
  await applyConfig(NO_ANALYTICS);
  state.config = null;
  tellOtherTabs('signed-out');
}

/**
 * Spring Security's single-page-app convention: the XSRF-TOKEN cookie's value, echoed in the
 * X-XSRF-TOKEN header. Read before every request, because login and logout rotate it; asked for
 * when there is none yet. The pages use this one too.
 */
export async function csrfToken() {
  const token = readCookie(CSRF_COOKIE);
  if (token) return token;
  const response = await fetch(CSRF_URL, { credentials: 'same-origin' });
  const body = await response.json().catch(() => ({}));
  return readCookie(CSRF_COOKIE) ?? body.token ?? '';
}

function readCookie(name) {
  const entry = document.cookie.split('; ').find((cookie) => cookie.startsWith(`${name}=`));
  return entry ? decodeURIComponent(entry.slice(name.length + 1)) : null;
}

function forgetCsrfCookie() {
  document.cookie = `${CSRF_COOKIE}=; Max-Age=0; Path=/`;
}

// ---------------------------------------------------------------------------------------------
// The anonymous id

let memoryAnonymousId = null;

/**
 * This browser profile's anonymous id, `anon_` + a UUID v4, created on first use and kept in
 * localStorage, so every tab and every reload shares it until sign-out.
 */
export function anonymousId() {
  try {
    const stored = localStorage.getItem(ANONYMOUS_ID_KEY);
    if (stored && ANONYMOUS_ID_SHAPE.test(stored)) return stored;
    const created = `anon_${crypto.randomUUID()}`;
    localStorage.setItem(ANONYMOUS_ID_KEY, created);
    return created;
  } catch {
    // localStorage blocked (some private modes): one id for this page's life is the best we can do.
    memoryAnonymousId ??= `anon_${crypto.randomUUID()}`;
    return memoryAnonymousId;
  }
}

/** The anonymous id if one exists already, without creating it; null otherwise. */
export function existingAnonymousId() {
  try {
    const stored = localStorage.getItem(ANONYMOUS_ID_KEY);
    return stored && ANONYMOUS_ID_SHAPE.test(stored) ? stored : memoryAnonymousId;
  } catch {
    return memoryAnonymousId;
  }
}

// ---------------------------------------------------------------------------------------------
// The signed-in user and their stored queue

// A different user in this tab (a session that ended without signOut, then another sign-in):
// their events stay stored under their own key and are never sent with this session.
async function setUser(user) {
  if (state.user?.id === user?.id) {
    if (user) state.user.account = user;
    return;
  }
  const previous = state.user;
  state.user = user ? { id: user.id, key: await userKey(user.id), account: user } : null;
  if (previous) state.queue = [];
}

// A digest, so the storage keys do not spell the user id beside the anonymous id.
async function userKey(id) {
  try {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`second-analytics:${id}`));
    return Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  } catch {
    return null; // no SubtleCrypto (not a secure context): nothing is stored
  }
}

function storageKey(entry) {
  return `${QUEUE_PREFIX}${entry.user.key}:${entry.payload.uuid}`;
}

function store(entry) {
  if (entry.stored || !entry.user?.key) return;
  try {
    localStorage.setItem(storageKey(entry), JSON.stringify(entry.payload));
    entry.stored = true;
  } catch {
    // storage full or blocked: the event still waits in memory
  }
}

function unstore(entry) {
  if (!entry.stored) return;
  try {
    localStorage.removeItem(storageKey(entry));
  } catch {
    // storage blocked
  }
  entry.stored = false;
}

// Gone from storage while it waited here: another tab of this user sent it already.
function sentElsewhere(entry) {
  if (!entry.stored) return false;
  try {
    return localStorage.getItem(storageKey(entry)) === null;
  } catch {
    return false;
  }
}

// Claims what this page captured before it knew the user, and what earlier pages of this user
// left unsent (same uuids, so the gateway forwards each once), oldest first.
function adoptQueue() {
  if (!state.user) return;
  const user = state.user;
  for (const entry of state.queue) {
    if (entry.user === null) {
      entry.user = user;
      entry.payload.anonymousId ??= anonymousId();
      store(entry);
    }
  }
  if (!user.key) return;
  const known = new Set(state.queue.map((entry) => entry.payload.uuid));
  const prefix = `${QUEUE_PREFIX}${user.key}:`;
  const found = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(prefix) || known.has(key.slice(prefix.length))) continue;
      try {
        const payload = JSON.parse(localStorage.getItem(key));
        if (payload?.uuid === key.slice(prefix.length)) found.push({ payload, user, stored: true, csrfRetried: false });
      } catch {
        localStorage.removeItem(key); // not ours to read any more
      }
    }
  } catch {
    return;
  }
  if (found.length === 0) return;
  state.queue.push(...found);
  state.queue.sort((a, b) => String(a.payload.timestamp).localeCompare(String(b.payload.timestamp)));
  enforceBound();
  if (!state.timer && !state.draining) schedule(Math.max(0, state.retryAt - Date.now()));
}

function forgetStoredQueue(key) {
  if (!key) return;
  try {
    const prefix = `${QUEUE_PREFIX}${key}:`;
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
      if (localStorage.key(i)?.startsWith(prefix)) keys.push(localStorage.key(i));
    }
    keys.forEach((k) => localStorage.removeItem(k));
  } catch {
    // storage blocked: nothing was kept
  }
}

// The oldest go first; the page hears how many.
function enforceBound() {
  const over = state.queue.length - MAX_QUEUE;
  if (over <= 0) return;
  const dropped = state.queue.splice(0, over);
  dropped.forEach(unstore);
  state.dropped += over;
  console.warn(`second-analytics: the queue is full (${MAX_QUEUE}); dropped the ${over} oldest event(s)`);
  for (const listener of state.dropListeners) safely(listener, { count: over, total: state.dropped });
}

// ---------------------------------------------------------------------------------------------
// Other tabs: a settings change or a sign-out in one tab makes the others re-read the config,
// so none keeps recording (or shows a stale switch) after the user changed their mind.

function listenToOtherTabs() {
  if (typeof BroadcastChannel === 'function') {
    state.channel = new BroadcastChannel(CHANNEL);
    state.channel.onmessage = (message) => heardFromOtherTab(message.data?.type);
  } else {
    window.addEventListener('storage', (event) => {
      if (event.key === CHANGED_KEY && event.newValue) heardFromOtherTab(event.newValue.split(':')[0]);
    });
  }
}

// A sign-out elsewhere stops replay here at once, without asking the gateway: the session may
// still exist for a moment, until the product's logout request.
function heardFromOtherTab(type) {
  if (type === 'signed-out') {
    state.queue = [];
    state.user = null;
    applyConfig(NO_ANALYTICS);
  } else if (type === 'config-changed') {
    refreshConfig();
  }
}

function tellOtherTabs(type = 'config-changed') {
  if (state.channel) {
    state.channel.postMessage({ type });
    return;
  }
  try {
    localStorage.setItem(CHANGED_KEY, `${type}:${Date.now()}`);
  } catch {
    // storage blocked: other tabs catch up at their next page load
  }
}

// A time-boxed recording ends on the server at screenRecordingEndsAt; re-read the config then,
// so replay stops in this tab too.
function scheduleRecordingEnd(config) {
  if (!config.screenRecordingEndsAt) return;
  const wait = Date.parse(config.screenRecordingEndsAt) - Date.now();
  if (Number.isNaN(wait)) return;
  state.endTimer = setTimeout(() => refreshConfig(), Math.min(Math.max(0, wait) + 250, 2 ** 31 - 1));
}

function safely(listener, value) {
  try {
    listener(value);
  } catch (error) {
    console.error(error);
  }
}

// ---------------------------------------------------------------------------------------------
// Route shapes: the same rules as the gateway's (docs/api.md, what reaches PostHog), so the path with its ids
// never leaves the browser. The gateway normalizes again whatever it receives.

const POSITIONS = new Map([
  ['w', ':workspace'], ['apps', ':objectId'], ['runs', ':runId'], ['agents', ':agentId'], ['integrations', ':integration'],
]);
const PLACEHOLDERS = new Set([':workspace', ':objectId', ':runId', ':agentId', ':integration', ':id']);
const MAX_ROUTE_SEGMENTS = 16;
const MAX_ROUTE_LITERAL_LENGTH = 32;
const SCHEME_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|localhost)(?::[0-9]*)?$/;
const UUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/**
 * The shape of a route: `/w/acme/apps/5f0c…/runs/812?x=1` → `/w/:workspace/apps/:objectId/runs/:runId`.
 *
 * @param {string} route a path, or a full URL
 */
export function routeShape(route) {
  const path = pathPart(String(route ?? ''));
  const shape = [];
  let next = null;
  let restIsIntegration = false;
  for (const raw of path.split('/')) {
    if (shape.length >= MAX_ROUTE_SEGMENTS) break;
    const segment = decodeSegment(raw.split(';', 1)[0]);
    if (segment === '' || segment === '.' || segment === '..') continue;
    if (next) {
      shape.push(next);
      next = null;
      if (restIsIntegration) break;
      continue;
    }
    const literal = classifySegment(segment);
    shape.push(literal);
    next = POSITIONS.get(literal.toLowerCase()) ?? null;
    restIsIntegration = next === ':integration';
  }
  return `/${shape.join('/')}`;
}

function pathPart(route) {
  let s = route.trim().replaceAll('\\', '/');
  const scheme = SCHEME_AUTHORITY.exec(s);
  const authorityStart = scheme ? scheme[0].length : s.startsWith('//') ? 2 : -1;
  if (authorityStart >= 0) {
    const pathStart = firstOf(s, authorityStart, '/?#');
    s = pathStart < 0 ? '' : s.slice(pathStart);
  } else if (!s.startsWith('/')) {
    const firstEnd = firstOf(s, 0, '/?#');
    const first = firstEnd < 0 ? s : s.slice(0, firstEnd);
    if (HOST.test(first)) s = firstEnd < 0 ? '' : s.slice(firstEnd);
  }
  const cut = firstOf(s, 0, '?#');
  return cut < 0 ? s : s.slice(0, cut);
}

function firstOf(s, from, chars) {
  for (let i = from; i < s.length; i++) {
    if (chars.includes(s[i])) return i;
  }
  return -1;
}

// Percent-decodes as UTF-8; a bad escape stays as it is, bad bytes become U+FFFD.
function decodeSegment(segment) {
  if (!segment.includes('%')) return segment;
  const bytes = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < segment.length;) {
    const hex = segment.slice(i + 1, i + 3);
    if (segment[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      const char = String.fromCodePoint(segment.codePointAt(i));
      bytes.push(...encoder.encode(char));
      i += char.length;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function classifySegment(segment) {
  if (segment.startsWith(':')) return PLACEHOLDERS.has(segment) ? segment : ':id';
  if (segment.length > MAX_ROUTE_LITERAL_LENGTH || !/^[A-Za-z0-9_-]+$/.test(segment) || isIdLike(segment)) return ':id';
  return segment;
}

// A UUID, digits without letters (numbers, dates), a hex run of 12 or more, letters mixed with
// digits in 8 or more characters (ULIDs, nanoids, object ids), or 16 or more characters mixing
// upper and lower case (base64-ish tokens).
function isIdLike(word) {
  if (UUID.test(word)) return true;
  const digits = /[0-9]/.test(word);
  const letters = /[A-Za-z]/.test(word);
  if (digits && !letters) return true;
  if (/^[0-9A-Fa-f]+$/.test(word) && word.length >= 12) return true;
  if (letters && digits && word.length >= 8) return true;
  return /[A-Z]/.test(word) && /[a-z]/.test(word) && word.length >= 16;
}

// ---------------------------------------------------------------------------------------------
// Sending

async function drain() {
  if (state.configLoading) await state.configLoading;
  while (state.queue.length > 0) {
    if (state.config && !state.config.enabled) {
      state.queue = [];
      return;
    }
    // Not before the config says who this is: the events may belong to nobody who counts.
    if (!state.config) return;
    const wait = state.retryAt - Date.now();
    if (wait > 0) {
      // Too soon (a timer may fire a little early): wait again rather than give up.
      schedule(wait);
      return;
    }
    await deliver(takeBatch());
  }
}

function takeBatch() {
  const batch = [];
  while (state.queue.length > 0 && batch.length < MAX_BATCH) {
    const entry = state.queue.shift();
    if (!sentElsewhere(entry)) batch.push(entry);
  }
  return batch;
}

function schedule(ms) {
  clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    state.timer = null;
    flush();
  }, Math.max(0, Math.ceil(ms)));
}

// The page is being hidden or left: send everything at once, without waiting for answers
// between batches; keepalive lets the requests outlive the page. Whatever does not make it is
// still stored, and the next page sends it.
function flushNow() {
  clearTimeout(state.timer);
  state.timer = null;
  if (!state.config?.enabled) return;
  while (state.queue.length > 0) {
    const batch = takeBatch();
    if (batch.length > 0) deliver(batch);
  }
}

async function deliver(batch) {
  if (batch.length === 0) return;
  for (const entry of batch) {
    entry.payload.anonymousId ??= anonymousId();
    if (entry.user === null) entry.user = state.user;
  }
  const events = batch.map((entry) => entry.payload);
  let response;
  try {
    response = await fetch(CAPTURE_URL, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true, // every request, so none is cancelled when the page goes away mid-flight
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', [CSRF_HEADER]: await csrfToken() },
      body: JSON.stringify({ batch: events }),
    });
  } catch {
    notify({ status: 0, body: { detail: 'the gateway could not be reached; will retry' }, events });
    retryLater(batch, null); // network failure: the uuids make resending safe
    return;
  }
  const body = await response.json().catch(() => null);
  notify({ status: response.status, body, events });
  if (response.status === 202) {
    // Accepted, and the rejected indexes can never succeed: either way, done with them.
    batch.forEach(unstore);
    state.failures = 0;
    return;
  }
  if (response.status === 204) {
    // Analytics were turned off for the deployment: stop sending, and stop replay too.
    batch.forEach(unstore);
    forgetStoredQueue(state.user?.key);
    await applyConfig({ ...(state.config ?? NO_ANALYTICS), enabled: false, posthog: null, distinctId: null });
    return;
  }
  if (response.status === 429 || response.status >= 500) {
    retryLater(batch, retryAfterMs(response.headers.get('Retry-After')));
    return;
  }
  if (response.status === 403 && body?.type?.endsWith('/csrf') && batch.every((entry) => !entry.csrfRetried)) {
    // The token rotated (another tab signed in again): fetch a fresh one and try once more.
    batch.forEach((entry) => {
      entry.csrfRetried = true;
    });
    forgetCsrfCookie();
    requeue(batch);
    schedule(0);
    return;
  }
  if (response.status === 401) {
    // The session ended: the events stay stored for this user's next sign-in, never sent with
    // someone else's session. Find out who is here now.
    refreshConfig();
    return;
  }
  // 400, 403, 413, 415: resending the same events cannot succeed.
  batch.forEach(unstore);
  console.warn(`second-analytics: the gateway refused ${batch.length} event(s): ${response.status} ${body?.detail ?? ''}`);
}

function requeue(batch) {
  const waiting = new Set(state.queue.map((entry) => entry.payload.uuid));
  state.queue.unshift(...batch.filter((entry) => !waiting.has(entry.payload.uuid)));
  enforceBound();
}

// Retried until sent: the delay doubles with every failure in a row, up to a minute, with
// jitter so many tabs do not retry in step; a Retry-After wins.
function retryLater(batch, delayMs) {
  requeue(batch);
  state.failures += 1;
  const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (state.failures - 1));
  // A Retry-After of 0 still waits a moment, so a gateway that says so cannot spin the tab.
  const wait = Math.ceil(delayMs === null ? backoff / 2 + Math.random() * (backoff / 2) : Math.max(delayMs, RETRY_MIN_MS));
  state.retryAt = Date.now() + wait;
  schedule(wait);
}

function retryAfterMs(header) {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, RETRY_AFTER_MAX_MS);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.min(Math.max(0, date - Date.now()), RETRY_AFTER_MAX_MS);
}

function notify(result) {
  for (const listener of state.listeners) safely(listener, result);
}

// ---------------------------------------------------------------------------------------------
// Session replay through posthog-js, only while the config route hands out `posthog`.

// posthog-js does replay only: its own product events (pageviews, autocapture, dead clicks,
// heatmaps, exceptions, web vitals, surveys) would bypass the gateway's sanitizing.
function posthogOptions(config) {
  return {
    api_host: config.posthog.host,
    autocapture: false,
    capture_pageview: false,
    capture_pageleave: false,
    capture_dead_clicks: false,
    rageclick: false,
    capture_heatmaps: false,
    capture_exceptions: false,
    capture_performance: false,
    disable_surveys: true,
    disable_session_recording: false,
    // Per tab: a replay continues across reloads, and nothing of it outlives the tab.
    persistence: 'sessionStorage',
    person_profiles: 'identified_only',
    // Start as the user, so the recording never belongs to a throwaway anonymous person.
    bootstrap: { distinctID: config.distinctId, isIdentifiedID: true },
    session_recording: { maskAllInputs: true },
  };
}

/**
 * Whether this tab really records, as posthog-js reports it (not as the settings wish):
 * `{status, reason}`, status one of `off`, `starting`, `recording`, `failed` (reason says why).
 */
export function replayStatus() {
  return { status: state.replay.status, reason: state.replay.reason };
}

/** Calls `listener({status, reason})` whenever replayStatus() changes; returns an unsubscribe. */
export function onReplay(listener) {
  state.replayListeners.add(listener);
  return () => state.replayListeners.delete(listener);
}

function setReplayStatus(status, reason = null) {
  const replay = state.replay;
  if (replay.status === status && replay.reason === reason) return;
  replay.status = status;
  replay.reason = reason;
  for (const listener of state.replayListeners) safely(listener, { status, reason });
}

async function syncReplay(config) {
  const replay = state.replay;
  const generation = ++replay.generation;
  const wanted = config.enabled && config.posthog && config.distinctId ? config : null;
  if (!wanted) {
    stopReplay();
    return;
  }
  if (replay.recordingFor === wanted.distinctId) return;
  if (replay.recordingFor) stopReplay(); // another user in this tab: never continue their replay
  setReplayStatus('starting');
  let sdk;
  try {
    sdk = await loadPosthog(wanted.posthog.scriptUrl);
  } catch (error) {
    console.warn(`second-analytics: session replay unavailable: ${error.message}`);
    if (generation === replay.generation) setReplayStatus('failed', error.message);
    return;
  }
  // The settings may have changed while the script loaded; only the newest wish counts.
  if (generation !== replay.generation) return;
  try {
    if (!replay.initialised) {
      sdk.init(wanted.posthog.token, posthogOptions(wanted));
      replay.initialised = true;
    }
    sdk.identify(wanted.distinctId);
    sdk.startSessionRecording();
  } catch (error) {
    console.warn(`second-analytics: session replay did not start: ${error.message}`);
    setReplayStatus('failed', 'posthog-js did not start');
    return;
  }
  replay.recordingFor = wanted.distinctId;
  watchRecordingStart(sdk, generation);
}

// posthog-js starts recording once its recorder has loaded; only then does the page say so.
function watchRecordingStart(sdk, generation) {
  const started = Date.now();
  const check = () => {
    if (generation !== state.replay.generation) return;
    let recording = false;
    try {
      recording = sdk.sessionRecordingStarted() === true;
    } catch {
      recording = false;
    }
    if (recording) {
      setReplayStatus('recording');
    } else if (Date.now() - started > REPLAY_START_TIMEOUT_MS) {
      setReplayStatus('failed', 'posthog-js loaded but did not start recording');
    } else {
      setTimeout(check, 200);
    }
  };
  check();
}

function stopReplay() {
  const replay = state.replay;
  setReplayStatus('off');
  if (replay.sdk && replay.recordingFor) {
    replay.sdk.stopSessionRecording();
    replay.sdk.reset();
    replay.recordingFor = null;
  } else if (!replay.sdk) {
    // posthog-js never ran on this page, but an earlier page of this tab may have left its state.
    clearPosthogStorage();
  }
}

function clearPosthogStorage() {
  try {
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith('ph_phc_')) sessionStorage.removeItem(key);
    }
  } catch {
    // storage blocked: nothing was kept
  }
}

// Loads posthog-js with a script tag from the config's scriptUrl, the one origin the page's
// Content-Security-Policy allows for it. Loaded without PostHog's snippet stub, array.js leaves
// an uninitialised instance at window.posthog.
function loadPosthog(scriptUrl) {
  const replay = state.replay;
  replay.loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = scriptUrl;
    script.async = true;
    script.dataset.secondAnalytics = 'posthog-js';
    script.onload = () => {
      const sdk = window.posthog;
      if (sdk && typeof sdk.init === 'function' && typeof sdk.startSessionRecording === 'function'
        && typeof sdk.sessionRecordingStarted === 'function') {
        replay.sdk = sdk;
        resolve(sdk);
      } else {
        reject(new Error(`${scriptUrl} did not define window.posthog`));
      }
    };
    script.onerror = () => reject(new Error(`could not load ${scriptUrl}`));
    document.head.append(script);
  }).catch((error) => {
    replay.loading = null; // try again at the next config change
    throw error;
  });
  return replay.loading;
}
