/**
 * Throttling of guessable secrets: login and sign-up per account and per client address,
 * and the operator's admin token per address, counted in PostgreSQL so every instance
 * shares the counts.
 */
package so.second.gateway.throttle;
