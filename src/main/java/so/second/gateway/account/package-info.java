/**
 * Accounts: sign-up, login and logout, onboarding, who the current user is, the one
 * {@code SecurityFilterChain} (sessions in PostgreSQL, the SPA CSRF convention, problem
 * answers for 401 and 403), and {@code SessionSecurity}, the same checks for capture,
 * which is served ahead of the chain.
 */
package so.second.gateway.account;
