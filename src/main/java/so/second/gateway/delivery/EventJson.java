package so.second.gateway.delivery;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import so.second.gateway.pipeline.OutgoingEvent;

/**
 * Writes an event as PostHog's batch API wants it: {@code event}, {@code distinct_id},
 * {@code uuid} and {@code timestamp} (ISO-8601, UTC) at the top, everything else inside
 * {@code properties}, {@code null} values kept. The JSON is written once, at acceptance,
 * and sent as stored on every attempt, so a resend is the same event byte for byte.
 * Nothing that changes between attempts (such as {@code sent_at}) is ever added.
 *
 * <p>
 * A mapper of its own, so that the application's Jackson settings (say, leaving out
 * nulls) can never change what reaches PostHog.
 */
final class EventJson {

	private final JsonMapper mapper = JsonMapper.builder().build();

	String write(OutgoingEvent event) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("event", event.event());
		json.put("distinct_id", event.distinctId());
		json.put("uuid", event.uuid().toString());
		json.put("timestamp", event.timestamp().toString());
		json.put("properties", (event.properties() != null) ? event.properties() : Map.of());
		return this.mapper.writeValueAsString(json);
	}

	/** The token as a JSON string, for the body of a batch request. */
	String quote(String text) {
		return this.mapper.writeValueAsString(text);
	}

}
