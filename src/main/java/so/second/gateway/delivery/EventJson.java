package so.second.gateway.delivery;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
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
 * Straight to a generator: this runs for every accepted event on the request thread, and
 * the values the pipeline produces (strings, numbers, booleans, {@code null}, lists and
 * maps of them) need no serializer lookup. Anything else goes to the mapper, which writes
 * it as it always did. A mapper of its own, so that the application's Jackson settings
 * (say, leaving out nulls) can never change what reaches PostHog.
 *
 * <p>
 * Each event gets a generator of its own, whose buffers come from a per-thread pool: the
 * default pool is one deque that every request thread contends on. (Per thread pays on
 * Tomcat's platform threads; with virtual threads each request would start with empty
 * buffers.) Maps are walked with {@code forEach}, which an unmodifiable map hands
 * straight to the map it wraps, without an entry object per property.
 */
final class EventJson {

	private final JsonMapper mapper = JsonMapper
		.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
		.build();

	String write(OutgoingEvent event) {
		StringWriter out = new StringWriter(768);
		try (JsonGenerator generator = this.mapper.createGenerator(out)) {
			generator.writeStartObject();
			generator.writeStringProperty("event", event.event());
			generator.writeStringProperty("distinct_id", event.distinctId());
			generator.writeStringProperty("uuid", event.uuid().toString());
			generator.writeStringProperty("timestamp", IsoInstant.format(event.timestamp()));
			generator.writeName("properties");
			writeValue(generator, (event.properties() != null) ? event.properties() : Map.of());
			generator.writeEndObject();
		}
		return out.toString();
	}

	private static void writeValue(JsonGenerator generator, Object value) {
		if (value == null) {
			generator.writeNull();
		}
		else if (value instanceof String text) {
			generator.writeString(text);
		}
		else if (value instanceof Boolean bool) {
			generator.writeBoolean(bool);
		}
		else if (value instanceof Integer number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Long number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Double number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Map<?, ?> map && allStringKeys(map)) {
			generator.writeStartObject();
			map.forEach((key, element) -> {
				generator.writeName((String) key);
				writeValue(generator, element);
			});
			generator.writeEndObject();
		}
		else if (value instanceof List<?> list) {
			generator.writeStartArray();
			for (Object element : list) {
				writeValue(generator, element);
			}
			generator.writeEndArray();
		}
		else {
			generator.writePOJO(value);
		}
	}

	private static boolean allStringKeys(Map<?, ?> map) {
		for (Object key : map.keySet()) {
			if (!(key instanceof String)) {
				return false;
			}
		}
		return true;
	}

	/** The token as a JSON string, for the body of a batch request. */
	String quote(String text) {
		return this.mapper.writeValueAsString(text);
	}

}
