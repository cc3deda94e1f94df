/**
 * Pure functions that turn one browser analytics event and the facts of its request into
 * a PostHog-shaped event or a rejection reason: allowlist, sanitizer, route shape,
 * tracking plan and anonymization, page context and release metadata, with no I/O beyond
 * reading the tracking-plan text.
 */
package so.second.gateway.pipeline;
