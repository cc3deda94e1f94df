/**
 * Pure functions that turn one browser analytics event and the facts of its request into
 * a PostHog-shaped event or a rejection reason: allowlist, sanitizer, route shape,
 * tracking plan and anonymization, page context and release metadata, with no I/O beyond
 * reading the tracking-plan text. The one state is a cache: {@code CapturePipeline}
 * remembers each user's identifiers, a pure function of the user's id, email and name.
 */
package so.second.gateway.pipeline;
