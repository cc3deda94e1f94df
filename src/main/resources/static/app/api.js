/**
 * The pages' tiny client for the gateway's own API (accounts, settings): JSON in and out, the
 * CSRF header on unsafe methods (the analytics client's one helper for it), and problem answers
 * (RFC 9457) turned into ApiError.
 */
import { csrfToken } from '/analytics/second-analytics.js';

/** A problem answer: `detail` says what was wrong. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `the gateway answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * @param {string} method GET, POST, PUT …
 * @param {string} path e.g. /api/me
 * @param {object} [body] sent as JSON
 * @returns {Promise<any>} the parsed answer; null for an empty one
 * @throws {ApiError} for any answer outside 2xx
 */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-XSRF-TOKEN'] = await csrfToken();
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { detail: 'The gateway could not be reached. Check your connection and try again.' });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
