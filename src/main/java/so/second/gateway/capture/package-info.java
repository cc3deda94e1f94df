/**
 * The HTTP edge of {@code POST /api/analytics/capture}, a servlet filter ahead of the
 * framework's (the security checks through {@code account.SessionSecurity}): the body
 * limit, strict JSON parsing, the per-user rate, the answers; it runs each event through
 * the pipeline and hands the accepted ones to delivery.
 */
package so.second.gateway.capture;
