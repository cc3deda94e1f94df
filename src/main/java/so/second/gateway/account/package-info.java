/**
 * Accounts: sign-up, login and logout, onboarding, who the current user is, and the one
 * {@code SecurityFilterChain} (sessions in PostgreSQL, the SPA CSRF convention, problem
 * answers for 401 and 403).
 */
package so.second.gateway.account;
