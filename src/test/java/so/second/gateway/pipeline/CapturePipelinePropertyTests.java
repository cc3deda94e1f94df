package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline answers every event tree with an outcome, in both modes, and never throws.
 */
class CapturePipelinePropertyTests {

	private static final CapturePipeline PIPELINE = new CapturePipeline(TrackingPlan.fromClasspath(),
			ReleaseMetadata.none(), "0.1.0");

	@Provide
	Arbitrary<Map<String, Object>> rawEvents() {
		return Arbitraries.randomValue((random) -> {
			HostileTrees.User user = HostileTrees.user(random);
			Map<String, Object> raw = new LinkedHashMap<>(HostileTrees.tree(random, user, 3));
			if (random.nextInt(4) > 0) {
				raw.put("event",
						random.nextBoolean()
								? TrackingPlanTests.NINETEEN_EVENTS
									.get(random.nextInt(TrackingPlanTests.NINETEEN_EVENTS.size()))
								: HostileTrees.value(random, user, 1));
			}
			if (random.nextBoolean()) {
				raw.put("anonymousId",
						random.nextBoolean() ? HostileTrees.anonymousId() : HostileTrees.value(random, user, 1));
			}
			if (random.nextBoolean()) {
				raw.put("properties", random.nextInt(4) > 0 ? HostileTrees.tree(random, user, 6)
						: HostileTrees.value(random, user, 2));
			}
			if (random.nextBoolean()) {
				raw.put("uuid", random.nextBoolean() ? HostileTrees.uuid(random) : HostileTrees.value(random, user, 1));
			}
			if (random.nextBoolean()) {
				raw.put("timestamp",
						random.nextBoolean() ? "2025-06-01T11:00:00Z" : HostileTrees.value(random, user, 1));
			}
			return raw;
		});
	}

	@Property(tries = 300)
	void everyEventGetsAnOutcome(@ForAll("rawEvents") Map<String, Object> raw, @ForAll boolean anonymized) {
		RequestContext context = new RequestContext("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe", anonymized,
				"203.0.113.9", Instant.parse("2025-06-01T12:00:00Z"));
		EventOutcome outcome = PIPELINE.process(raw, context);
		if (outcome instanceof EventOutcome.Rejected rejected) {
			assertThat(rejected.reason()).isNotBlank().hasSizeLessThan(200);
		}
		else {
			OutgoingEvent event = ((EventOutcome.Accepted) outcome).event();
			assertThat(event.properties().keySet()).allSatisfy((key) -> assertThat(key.startsWith("$")
					? java.util.Set.of("$lib", "$lib_version", "$ip", "$process_person_profile", "$geoip_disable")
						.contains(key)
					: Sanitizer.isValidKey(key))
				.isTrue());
			assertThat(event.properties().values())
				.allSatisfy((value) -> assertThat(TreeBounds.violation(value)).isNull());
		}
	}

}
