package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planted-identifier generator run as a plain fuzz loop, for as many events as asked:
 * {@code ./mvnw test -Dtest=PlantedIdentifierFuzzTests -Dsecond.fuzz.events=1000000}
 * checks a million generated events and prints the count; {@code ./mvnw verify} runs
 * 10,000. The seed is printed too, so a failure can be replayed with
 * {@code -Dsecond.fuzz.seed=…}.
 */
class PlantedIdentifierFuzzTests {

	private static final int DEFAULT_EVENTS = 10_000;

	private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

	@Test
	void noGeneratedEventLeaksAPlantedIdentifierWhileAnonymized() {
		int events = Integer.getInteger("second.fuzz.events", DEFAULT_EVENTS);
		long seed = Long.getLong("second.fuzz.seed", System.nanoTime());
		java.util.Random random = new java.util.Random(seed);
		List<String> leaks = new ArrayList<>();
		long planted = 0;
		for (int i = 0; i < events && leaks.size() < 10; i++) {
			PlantedIdentifiers.User user = PlantedIdentifiers.user(random);
			PlantedIdentifiers.Planted event = PlantedIdentifiers.event(random, user,
					PlantedIdentifierPropertyTests.PLAN);
			planted += event.plantedValues().size();
			EventOutcome outcome = PlantedIdentifierPropertyTests.PIPELINE.process(event.rawEvent(),
					PlantedIdentifierPropertyTests.context(user));
			assertThat(outcome).isInstanceOf(EventOutcome.Accepted.class);
			leaks.addAll(PlantedIdentifiers.leaks(forwarded(((EventOutcome.Accepted) outcome).event()), user,
					event.plantedValues()));
		}
		System.out.printf("planted-identifier fuzz: %,d events, %,d planted values, %d leaks (seed %d)%n", events,
				planted, leaks.size(), seed);
		assertThat(leaks).isEmpty();
	}

	@Test
	void theScanFindsThePlantedIdentifiersOfIdentifiedEvents() {
		java.util.Random random = new java.util.Random(42);
		int leaking = 0;
		for (int i = 0; i < 100; i++) {
			PlantedIdentifiers.User user = PlantedIdentifiers.user(random);
			PlantedIdentifiers.Planted event = PlantedIdentifiers.event(random, user,
					PlantedIdentifierPropertyTests.PLAN);
			RequestContext identified = new RequestContext(user.id(), user.email(), user.name(), false, null, NOW);
			EventOutcome.Accepted outcome = (EventOutcome.Accepted) PlantedIdentifierPropertyTests.PIPELINE
				.process(event.rawEvent(), identified);
			Map<String, Object> json = forwarded(outcome.event());
			json.put("distinct_id", "anon_x");
			leaking += PlantedIdentifiers.leaks(json, user, event.plantedValues()).isEmpty() ? 0 : 1;
		}
		assertThat(leaking).as("identified events keep what was planted, and the scan sees it").isGreaterThan(90);
	}

	private static Map<String, Object> forwarded(OutgoingEvent event) {
		Map<String, Object> json = new java.util.LinkedHashMap<>();
		json.put("distinct_id", event.distinctId());
		json.put("uuid", event.uuid().toString());
		json.put("properties", event.properties());
		return json;
	}

}
