/**
 * Durable delivery to PostHog: the backlog (outbox) in PostgreSQL, the PostHog client,
 * the workers that drain the backlog with retries, dead letters, and their metrics and
 * health.
 */
package so.second.gateway.delivery;
