package so.second.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import so.second.gateway.GatewayApplication;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second gateway instance, a whole application context of its own, on the same database
 * and the same PostHog as the test context: both accept events and both deliver. Started
 * once; the last test stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesDeliveryTests extends DeliveryTestContext {

	@Autowired
	MeterRegistry registry;

	@Autowired
	DeliveryWorkers workers;

	private static ConfigurableApplicationContext other;

	@BeforeAll
	static void startAnotherInstance() {
		other = new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + databaseUrl(), "--spring.datasource.username=" + TestDatabase.username(),
				"--spring.datasource.password=" + TestDatabase.password(), "--second.analytics.token=" + POSTHOG_TOKEN,
				"--second.analytics.host=" + posthog.host(), "--second.delivery.poll-interval=50ms",
				"--second.delivery.drain=true", "--second.delivery.linger=0ms", "--second.delivery.batch-size=20",
				"--second.delivery.backoff-base=100ms", "--second.delivery.backoff-max=1s",
				"--second.delivery.lease=20s", "--second.delivery.call-timeout=10s",
				"--second.delivery.read-timeout=10s", "--second.delivery.shutdown-grace=1s",
				"--spring.jmx.enabled=false", "--spring.main.banner-mode=off");
	}

	@AfterAll
	static void stopIt() {
		if (other != null) {
			other.close();
		}
	}

	@Test
	@Order(1)
	void twoInstancesSharingOneBacklogDeliverEveryEventExactlyOnce() throws Exception {
		posthog.answer((batch) -> new MockResponse.Builder().code(200)
			.headersDelay(20, TimeUnit.MILLISECONDS)
			.body("{\"status\":1}")
			.build());
		EventBacklog otherBacklog = other.getBean(EventBacklog.class);
		MeterRegistry otherRegistry = other.getBean(MeterRegistry.class);
		double forwardedHereBefore = this.registry.get("analytics.events.forwarded").counter().count();
		List<UUID> uuids = new ArrayList<>();
		List<CompletableFuture<Void>> appends = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			List<BacklogEvent> events = events(10);
			uuids.addAll(uuids(events));
			EventBacklog instance = (i % 2 == 0) ? this.backlog : otherBacklog;
			appends.add(CompletableFuture.runAsync(() -> instance.append(events)));
		}
		CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get();

		awaitDelivered(uuids, Duration.ofSeconds(60));

		assertThat(posthog.deliveries(uuids)).hasSize(1000).allSatisfy((uuid, times) -> assertThat(times).isOne());
		assertThat(this.registry.get("analytics.events.forwarded").counter().count() - forwardedHereBefore)
			.isPositive();
		assertThat(otherRegistry.get("analytics.events.forwarded").counter().count()).isPositive();
		await().atMost(Duration.ofSeconds(5)).until(() -> backlogEvents(uuids) == 0);
	}

	@Test
	@Order(2)
	void whenAnInstanceStopsMidSendThenItsBatchGoesBackToTheBacklogAndIsDeliveredByTheOther() {
		this.workers.stop(); // so that the other instance is the one sending
		try {
			posthog.answer((batch) -> new MockResponse.Builder().code(503).headersDelay(5, TimeUnit.SECONDS).build());
			List<BacklogEvent> events = events(5);
			other.getBean(EventBacklog.class).append(events);
			await().atMost(Duration.ofSeconds(10)).until(() -> !posthog.batchesWith(uuids(events)).isEmpty());

			// shutdown grace 1 s, PostHog answers after 5 s: the send is cancelled
			other.close();
			other = null;

			assertThat(backlogEvents(uuids(events))).isEqualTo(5);
			assertThat(unlockedEvents(uuids(events))).isEqualTo(5);
			posthog.answerOk();
			this.workers.start();
			awaitDelivered(uuids(events), Duration.ofSeconds(20));
		}
		finally {
			if (!this.workers.isRunning()) {
				this.workers.start();
			}
		}
	}

	/**
	 * Of these events, those in rows no claim holds: a claim's transaction keeps its rows
	 * locked.
	 */
	private long unlockedEvents(List<UUID> uuids) {
		return this.jdbc.sql("""
				WITH wanted AS (SELECT ?::uuid[] AS uuids),
				unlocked AS (
					SELECT row.uuids FROM delivery_backlog AS row, wanted
					WHERE row.uuids && wanted.uuids
					FOR UPDATE OF row SKIP LOCKED
				)
				SELECT count(*) FROM unlocked, unnest(unlocked.uuids) AS event, wanted WHERE event = ANY(wanted.uuids)
				""").param(uuids.stream().map(UUID::toString).toArray(String[]::new)).query(Long.class).single();
	}

}
