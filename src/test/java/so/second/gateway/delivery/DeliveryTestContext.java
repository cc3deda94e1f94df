package so.second.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.function.SingletonSupplier;

import so.second.gateway.GatewayApplication;
import so.second.gateway.pipeline.OutgoingEvent;
import so.second.gateway.support.PostHogFake;
import so.second.gateway.support.TestDatabase;

import static org.awaitility.Awaitility.await;

/**
 * One application context for every delivery test: analytics on, a database of its own,
 * the shared {@link PostHogFake} as PostHog, and short intervals so retries happen in
 * milliseconds. Tests tell their events apart by uuid, so they need not empty the tables
 * between them.
 */
@SpringBootTest(properties = { "second.delivery.poll-interval=50ms", "second.delivery.linger=0ms",
		"second.delivery.batch-size=20", "second.delivery.backoff-base=100ms", "second.delivery.backoff-max=1s",
		"second.delivery.pause-probe-interval=300ms", "second.delivery.depth-refresh-interval=100ms",
		"second.delivery.lease=20s", "second.delivery.call-timeout=10s", "second.delivery.read-timeout=10s",
		"second.delivery.shutdown-grace=2s", "second.delivery.drain=true",
		"SECOND_ADMIN_TOKEN=" + DeliveryTestContext.ADMIN_TOKEN })
@AutoConfigureMockMvc(addFilters = false)
abstract class DeliveryTestContext {

	static final String ADMIN_TOKEN = "test-operator-token-0123456789";

	static final String POSTHOG_TOKEN = "phc_DeliveryTestToken0123456789";

	static final PostHogFake posthog = PostHogFake.start();

	private static final Supplier<String> database = SingletonSupplier.of(TestDatabase::freshDatabase);

	@Autowired
	EventBacklog backlog;

	@Autowired
	JdbcClient jdbc;

	@DynamicPropertySource
	static void deliveryProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", database::get);
		registry.add("spring.datasource.username", TestDatabase::username);
		registry.add("spring.datasource.password", TestDatabase::password);
		registry.add("second.analytics.token", () -> POSTHOG_TOKEN);
		registry.add("second.analytics.host", posthog::host);
	}

	@BeforeEach
	@AfterEach
	void posthogTakesEverything() {
		posthog.answerOk();
	}

	/**
	 * A whole gateway of its own, for delivery settings the shared context does not have:
	 * a fresh database, analytics on, sending to {@code posthog}, draining on close.
	 * @param settings more {@code --name=value} arguments
	 */
	static ConfigurableApplicationContext startGateway(PostHogFake posthog, String... settings) {
		List<String> arguments = new ArrayList<>(
				List.of("--server.port=0", "--spring.datasource.url=" + TestDatabase.freshDatabase(),
						"--spring.datasource.username=" + TestDatabase.username(),
						"--spring.datasource.password=" + TestDatabase.password(),
						"--second.analytics.token=" + POSTHOG_TOKEN, "--second.analytics.host=" + posthog.host(),
						"--second.delivery.drain=true", "--spring.jmx.enabled=false", "--spring.main.banner-mode=off"));
		arguments.addAll(List.of(settings));
		return new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new));
	}

	static String databaseUrl() {
		return database.get();
	}

	/** A PostHog-shaped event, as the pipeline makes it, with a null release property. */
	static OutgoingEvent event(String name) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("$lib", "second-analytics-gateway");
		properties.put("$lib_version", "test");
		properties.put("surface", "settings");
		properties.put("release_runtime", null);
		return new OutgoingEvent(UUID.randomUUID(), name, "anon_" + UUID.randomUUID(),
				Instant.now().truncatedTo(ChronoUnit.MILLIS), properties);
	}

	static List<BacklogEvent> events(int count) {
		List<BacklogEvent> events = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			events.add(BacklogEvent.once(event("page viewed")));
		}
		return events;
	}

	static List<UUID> uuids(List<BacklogEvent> events) {
		return events.stream().map((each) -> each.event().uuid()).toList();
	}

	/** Waits until PostHog answered 2xx for every one of these uuids. */
	static void awaitDelivered(List<UUID> uuids, Duration atMost) {
		await().atMost(atMost).until(() -> posthog.deliveries(uuids).keySet().containsAll(uuids));
	}

	/** How many of these events the backlog holds. */
	long backlogEvents(List<UUID> uuids) {
		return this.jdbc
			.sql("SELECT count(*) FROM delivery_backlog, unnest(uuids) AS event WHERE event = ANY(?::uuid[])")
			.param(uuids.stream().map(UUID::toString).toArray(String[]::new))
			.query(Long.class)
			.single();
	}

}
