package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An event as it leaves toward PostHog; delivery adds the {@code api_key} at send time.
 *
 * @param uuid fixed at acceptance, the same on every resend so PostHog can de-duplicate
 * @param event the event name
 * @param distinctId the user id, or the anonymous id while anonymized
 * @param timestamp fixed at acceptance
 * @param properties everything else; values may be {@code null}
 */
public record OutgoingEvent(UUID uuid, String event, String distinctId, Instant timestamp,
		Map<String, Object> properties) {
}
