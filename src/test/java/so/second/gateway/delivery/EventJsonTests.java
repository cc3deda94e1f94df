package so.second.gateway.delivery;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import so.second.gateway.pipeline.OutgoingEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored JSON of an event is what Jackson's databind wrote for it before EventJson
 * wrote it by hand, byte for byte: events accepted by an earlier version and resent by
 * this one stay the same events.
 */
class EventJsonTests {

	private static final JsonMapper DATABIND = JsonMapper.builder().build();

	private final EventJson json = new EventJson();

	@Test
	void writesTheEnvelopeThenThePropertiesInTheirOrderNullsKept() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("surface", "app_chat");
		properties.put("message_count", 12);
		properties.put("release_runtime", null);
		OutgoingEvent event = new OutgoingEvent(UUID.fromString("0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b"),
				"build completed", "anon_1", Instant.parse("2026-12-03T10:00:00.123Z"), properties);

		assertThat(this.json.write(event)).isEqualTo("{\"event\":\"build completed\",\"distinct_id\":\"anon_1\","
				+ "\"uuid\":\"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b\",\"timestamp\":\"2026-12-03T10:00:00.123Z\","
				+ "\"properties\":{\"surface\":\"app_chat\",\"message_count\":12,\"release_runtime\":null}}");
	}

	@Provide
	Arbitrary<Map<String, Object>> propertyTrees() {
		return Arbitraries.randomValue((random) -> tree(random, 3));
	}

	@Property(tries = 500)
	void everyTreeIsWrittenAsDatabindWroteIt(@ForAll("propertyTrees") Map<String, Object> properties) {
		OutgoingEvent event = new OutgoingEvent(UUID.randomUUID(), "page \"viewed\"\n", "usr_\u00e9\u2028",
				Instant.parse("2026-12-03T10:00:00Z"), properties);

		assertThat(this.json.write(event)).isEqualTo(databind(event));
	}

	/** What EventJson did before: a map of the envelope, written by databind. */
	private static String databind(OutgoingEvent event) {
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("event", event.event());
		envelope.put("distinct_id", event.distinctId());
		envelope.put("uuid", event.uuid().toString());
		envelope.put("timestamp", event.timestamp().toString());
		envelope.put("properties", event.properties());
		return DATABIND.writeValueAsString(envelope);
	}

	private static Map<String, Object> tree(Random random, int depth) {
		Map<String, Object> map = new LinkedHashMap<>();
		int size = random.nextInt(6);
		for (int i = 0; i < size; i++) {
			map.put(text(random), value(random, depth));
		}
		return map;
	}

	private static Object value(Random random, int depth) {
		int kind = random.nextInt((depth > 0) ? 16 : 13);
		return switch (kind) {
			case 0 -> null;
			case 1, 2 -> text(random);
			case 3 -> random.nextBoolean();
			case 4 -> random.nextInt();
			case 5 -> random.nextLong();
			case 6 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
			case 7 ->
				List.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e300, Double.MIN_VALUE).get(random.nextInt(5));
			case 8 -> (short) random.nextInt(Short.MAX_VALUE);
			case 9 -> random.nextFloat();
			case 10 -> new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(20) - 10);
			case 11 -> BigInteger.valueOf(random.nextLong()).shiftLeft(random.nextInt(80));
			case 12 -> Map.of(1, "an integer key");
			case 13 -> tree(random, depth - 1);
			case 14 -> {
				List<Object> list = new ArrayList<>();
				int size = random.nextInt(4);
				for (int i = 0; i < size; i++) {
					list.add(value(random, depth - 1));
				}
				yield list;
			}
			default -> new HashMap<>(tree(random, depth - 1));
		};
	}

	private static String text(Random random) {
		String alphabet = "aZ 09_-/\"\\\n\t\u0000\u001f\u007f\u00e9\u2028\u2029\ud83d\ude00<>&'";
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(12);
		for (int i = 0; i < length; i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

}
