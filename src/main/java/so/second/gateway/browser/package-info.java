/**
 * The browser half served by the gateway: the analytics client module, the usage-data
 * settings page, the demo page, and the Content-Security-Policy that lets those pages
 * load {@code posthog-js} for session replay from exactly the operator's script origin
 * and PostHog host.
 */
package so.second.gateway.browser;
