/**
 * The operator's analytics configuration: the PostHog token and host, the switches that
 * turn analytics off, and the release metadata, read once from the environment and
 * validated at start.
 */
package so.second.gateway.operator;
