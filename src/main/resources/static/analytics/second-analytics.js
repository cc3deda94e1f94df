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
// Bounds memory when the gateway is unreachable for a long time; the oldest events go first.
const MAX_QUEUE = 500;
const MAX_ATTEMPTS = 6;
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 60_000;

// A user who is not signed in, or not onboarded: the gateway would refuse their events.
const NO_ANALYTICS = Object.freeze({
  enabled: false, anonymized: true, screenRecording: false, distinctId: null, posthog: null,
});

const state = {
  config: null, // the config route's last answer; null until known
  configLoading: null,
  surface: undefined,
  queue: [], // { payload, attempts }
  timer: null,
  retryAt: 0,
  draining: null,
  listeners: new Set(),
  pageListeners: false,
  replay: { generation: 0, loading: null, sdk: null, initialised: false, recordingFor: null },
};

/**
 * Starts the client on this page: reads the analytics config (which also starts or stops
 * session replay) and flushes queued events when the page is hidden or left.
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
  }
  return refreshConfig();
}

/**
 * Asks the gateway for the analytics config and applies it. Call it after anything that may
 * change it: a usage-data settings change, sign-in.
 */
export function refreshConfig() {
  const loading = (async () => {
    let config;
    try {
      const response = await fetch(CONFIG_URL, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      // 401/403: not signed in or not onboarded, so nothing may be captured or recorded.
      config = response.ok ? await response.json() : NO_ANALYTICS;
    } catch {
      // Gateway unreachable: keep what we knew; the next refresh decides again.
      config = state.config ?? null;
      if (config === null) return null;
    }
    await applyConfig(config);
    return config;
  })();
  state.configLoading = loading;
  return loading.finally(() => {
    if (state.configLoading === loading) state.configLoading = null;
  });
}

/**
 * Applies a config route answer: drops queued events when analytics are off, and starts session
 * replay when it carries `posthog`, stops and resets it otherwise.
 *
 * @param {{enabled: boolean, distinctId: ?string, posthog: ?{token: string, host: string, scriptUrl: string}}} config
 */
export async function applyConfig(config) {
  state.config = config ?? NO_ANALYTICS;
  if (!state.config.enabled) {
    state.queue = [];
    clearTimeout(state.timer);
    state.timer = null;
  }
  await syncReplay(state.config);
}

/** The config in force, or null before the first answer. */
export function currentConfig() {
  return state.config;
}

/**
 * Queues one event. Adds the page context (surface, route_shape, viewport size), a client uuid
 * (so a retried event is forwarded once) and the anonymous id.
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
    // anonymized (the setting may have changed in another tab), and ignores it when not.
    anonymousId: anonymousId(),
    timestamp: new Date().toISOString(),
    uuid,
  };
  if (payload.properties.surface === undefined) delete payload.properties.surface;
  state.queue.push({ payload, attempts: 0 });
  if (state.queue.length > MAX_QUEUE) state.queue.splice(0, state.queue.length - MAX_QUEUE);
  if (state.queue.length >= MAX_BATCH) {
    flush();
  } else if (!state.timer) {
    state.timer = setTimeout(() => flush(), Math.max(FLUSH_DELAY_MS, state.retryAt - Date.now()));
  }
  return uuid;
}

/**
 * Sends every queued event now, one batch after the other, unless the gateway asked to wait
 * (429/503 with Retry-After). Resolves when the queue is drained or waiting for a retry.
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
 * Call at sign-out, before the product's own logout request: sends the user's queued events while
 * their session still exists, stops and resets session replay, and forgets the anonymous id so
 * the next person in this browser profile is not grouped with this one.
 */
export async function signOut() {
  if (state.queue.length > 0 && state.config?.enabled !== false) {
    await flush();
  }
  state.queue = [];
  clearTimeout(state.timer);
  state.timer = null;
  try {
    localStorage.removeItem(ANONYMOUS_ID_KEY);
  } catch {
    // storage blocked: nothing was kept
  }
  memoryAnonymousId = null;
  state.retryAt = 0;
  await applyConfig(NO_ANALYTICS);
  state.config = null;
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
  while (state.queue.length > 0 && Date.now() >= state.retryAt) {
    if (state.config && !state.config.enabled) {
      state.queue = [];
      return;
    }
    await deliver(state.queue.splice(0, MAX_BATCH));
  }
}

// The page is being hidden or left: send everything at once, without waiting for answers
// between batches; keepalive lets the requests outlive the page.
function flushNow() {
  clearTimeout(state.timer);
  state.timer = null;
  if (state.config && !state.config.enabled) return;
  while (state.queue.length > 0) {
    deliver(state.queue.splice(0, MAX_BATCH));
  }
}

async function deliver(batch) {
  let response;
  try {
    response = await fetch(CAPTURE_URL, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true, // every request, so none is cancelled when the page goes away mid-flight
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', [CSRF_HEADER]: await csrfToken() },
      body: JSON.stringify({ batch: batch.map((entry) => entry.payload) }),
    });
  } catch {
    notify({ status: 0, body: { detail: 'the gateway could not be reached; will retry' }, events: batch.map((entry) => entry.payload) });
    retryLater(batch, null); // network failure: the uuids make resending safe
    return;
  }
  const body = await response.json().catch(() => null);
  notify({ status: response.status, body, events: batch.map((entry) => entry.payload) });
  if (response.status === 202) return;
  if (response.status === 204) {
    // Analytics were turned off for the deployment: stop sending, and stop replay too.
    await applyConfig({ ...(state.config ?? NO_ANALYTICS), enabled: false, posthog: null, distinctId: null });
    return;
  }
  if (response.status === 429 || response.status >= 500) {
    retryLater(batch, retryAfterMs(response.headers.get('Retry-After')));
    return;
  }
  if (response.status === 403 && body?.type?.endsWith('/csrf') && batch.every((entry) => entry.attempts === 0)) {
    // The token rotated (another tab signed in again): fetch a fresh one and try once more.
    forgetCsrfCookie();
    retryLater(batch, 0);
    return;
  }
  // 400, 401, 403, 413, 415: resending the same events cannot succeed.
  console.warn(`second-analytics: the gateway refused ${batch.length} event(s): ${response.status} ${body?.detail ?? ''}`);
}

function retryLater(batch, delayMs) {
  const kept = batch.filter((entry) => ++entry.attempts < MAX_ATTEMPTS);
  if (kept.length < batch.length) {
    console.warn(`second-analytics: dropped ${batch.length - kept.length} event(s) after ${MAX_ATTEMPTS} attempts`);
  }
  if (kept.length === 0) return;
  state.queue.unshift(...kept);
  if (state.queue.length > MAX_QUEUE) state.queue.splice(0, state.queue.length - MAX_QUEUE);
  const attempts = kept[0].attempts;
  // Without Retry-After: exponential back-off with jitter, so many tabs do not retry in step.
  const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
  const wait = delayMs ?? backoff;
  state.retryAt = Date.now() + wait;
  clearTimeout(state.timer);
  state.timer = setTimeout(() => flush(), wait);
}

function retryAfterMs(header) {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 3_600_000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.min(Math.max(0, date - Date.now()), 3_600_000);
}

function notify(result) {
  for (const listener of state.listeners) {
    try {
      listener(result);
    } catch (error) {
      console.error(error);
    }
  }
}

// Spring Security's single-page-app convention: echo the XSRF-TOKEN cookie in X-XSRF-TOKEN. The
// cookie is read before every request, because login and logout rotate it.
async function csrfToken() {
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
  let sdk;
  try {
    sdk = await loadPosthog(wanted.posthog.scriptUrl);
  } catch (error) {
    console.warn(`second-analytics: session replay unavailable: ${error.message}`);
    return;
  }
  // The settings may have changed while the script loaded; only the newest wish counts.
  if (generation !== replay.generation) return;
  if (!replay.initialised) {
    sdk.init(wanted.posthog.token, posthogOptions(wanted));
    replay.initialised = true;
  }
  sdk.identify(wanted.distinctId);
  sdk.startSessionRecording();
  replay.recordingFor = wanted.distinctId;
}

function stopReplay() {
  const replay = state.replay;
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
      if (sdk && typeof sdk.init === 'function' && typeof sdk.startSessionRecording === 'function') {
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
