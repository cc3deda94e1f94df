package so.second.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import so.second.gateway.support.PostHogFake;
import so.second.gateway.support.PostHogFake.Batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeliveryRecoveryTests extends DeliveryTestContext {

	@Autowired
	DeliveryStatus status;

	@Autowired
	DeliveryHealthIndicator health;

	@Test
	void sendsGzippedBatchesWithTheTokenAndEachEventAsAcceptedNullsIncluded() {
		List<BacklogEvent> events = events(3);
		this.backlog.append(events);

		awaitDelivered(uuids(events), Duration.ofSeconds(10));

		Batch batch = posthog.batchesWith(uuids(events)).get(0);
		assertThat(batch.path()).isEqualTo("/batch/");
		assertThat(batch.gzip()).isTrue();
		assertThat(batch.body().get("api_key").asString()).isEqualTo(POSTHOG_TOKEN);
		assertThat(batch.body().get("historical_migration").asBoolean()).isFalse();
		JsonNode sent = batch.events()
			.stream()
			.filter((event) -> event.get("uuid").asString().equals(events.get(0).event().uuid().toString()))
			.findFirst()
			.orElseThrow();
		assertThat(sent.propertyNames()).containsExactly("event", "distinct_id", "uuid", "timestamp", "properties");
		assertThat(sent.get("event").asString()).isEqualTo("page viewed");
		assertThat(sent.get("distinct_id").asString()).isEqualTo(events.get(0).event().distinctId());
		assertThat(sent.get("timestamp").asString()).isEqualTo(events.get(0).event().timestamp().toString());
		assertThat(sent.get("properties").has("release_runtime")).isTrue();
		assertThat(sent.get("properties").get("release_runtime").isNull()).isTrue();
		assertThat(sent.get("properties").get("$lib").asString()).isEqualTo("second-analytics-gateway");
		assertThat(sent.has("sent_at")).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> backlogEvents(uuids(events)) == 0);
	}

	@Test
	void whenPostHogAnswers503ForAWhileThenEveryAcceptedEventArrivesExactlyOnce() {
		AtomicInteger failures = new AtomicInteger();
		posthog.answer((batch) -> (failures.incrementAndGet() <= 4) ? PostHogFake.status(503) : PostHogFake.ok(batch));
		List<BacklogEvent> events = events(60);

		for (int i = 0; i < events.size(); i += 6) {
			this.backlog.append(events.subList(i, i + 6));
		}

		List<UUID> uuids = uuids(events);
		awaitDelivered(uuids, Duration.ofSeconds(20));
		assertThat(failures.get()).isGreaterThan(4);
		assertThat(posthog.deliveries(uuids)).hasSize(60).allSatisfy((uuid, times) -> assertThat(times).isOne());
		await().atMost(Duration.ofSeconds(5)).until(() -> backlogEvents(uuids) == 0);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.status.state() == DeliveryState.HEALTHY);
	}

	@Test
	void whenPostHogAnswers429WithRetryAfterThenTheNextAttemptWaitsForIt() {
		AtomicInteger answers = new AtomicInteger();
		posthog.answer((batch) -> (answers.incrementAndGet() == 1)
				? new MockResponse.Builder().code(429).setHeader("Retry-After", "2").build() : PostHogFake.ok(batch));
		List<BacklogEvent> events = events(1);

		this.backlog.append(events);

		awaitDelivered(uuids(events), Duration.ofSeconds(10));
		List<Batch> attempts = posthog.batchesWith(uuids(events));
		assertThat(attempts).extracting(Batch::status).containsExactly(429, 200);
		assertThat(Duration.between(attempts.get(0).receivedAt(), attempts.get(1).receivedAt()))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void whenPostHogRejectsABatchAsMalformedThenOnlyTheBadEventsAreDeadLettered() {
		List<BacklogEvent> events = events(12);
		Set<UUID> bad = Set.of(events.get(3).event().uuid(), events.get(10).event().uuid());
		posthog.answer((batch) -> batch.uuids().stream().anyMatch(bad::contains) ? new MockResponse.Builder().code(400)
			.body("{\"type\":\"validation_error\",\"detail\":\"bad event\"}")
			.build() : PostHogFake.ok(batch));

		this.backlog.append(events);

		List<UUID> good = uuids(events).stream().filter((uuid) -> !bad.contains(uuid)).toList();
		awaitDelivered(good, Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters(bad) == 2);
		assertThat(posthog.deliveries(uuids(events))).containsOnlyKeys(good);
		assertThat(backlogEvents(uuids(events))).isZero();
		Map<String, Object> letter = this.jdbc
			.sql("SELECT reason, status, response FROM delivery_dead_letter WHERE uuid = ?::uuid")
			.param(events.get(3).event().uuid().toString())
			.query()
			.singleRow();
		assertThat(letter).containsEntry("reason", "rejected").containsEntry("status", 400);
		assertThat((String) letter.get("response")).contains("bad event");
	}

	@Test
	void whenABatchIsTooLargeForPostHogThenItIsHalvedUntilItFits() {
		posthog.answer((batch) -> (batch.events().size() > 5) ? PostHogFake.status(413) : PostHogFake.ok(batch));
		List<BacklogEvent> events = events(20);

		this.backlog.append(events);

		awaitDelivered(uuids(events), Duration.ofSeconds(10));
		assertThat(posthog.deliveries(uuids(events))).allSatisfy((uuid, times) -> assertThat(times).isOne());
		assertThat(deadLetters(uuids(events))).isZero();
	}

	@Test
	void whenPostHogRefusesTheTokenThenDeliveryPausesWithoutLossAndResumes() {
		posthog.answer((batch) -> PostHogFake.status(401));
		List<BacklogEvent> events = events(5);

		this.backlog.append(events);

		await().atMost(Duration.ofSeconds(10)).until(() -> this.status.state() == DeliveryState.PAUSED);
		assertThat(this.health.health().getDetails()).containsEntry("state", "paused");
		assertThat(this.health.health().getStatus().getCode()).isEqualTo("UP");
		// paused: nothing more than a probe now and then, and nothing dropped
		int requestsWhenPaused = posthog.batchesWith(uuids(events)).size();
		List<BacklogEvent> later = events(3);
		this.backlog.append(later);
		assertThat(backlogEvents(uuids(events))).isEqualTo(5);

		posthog.answerOk();

		awaitDelivered(uuids(events), Duration.ofSeconds(10));
		awaitDelivered(uuids(later), Duration.ofSeconds(10));
		assertThat(this.status.state()).isEqualTo(DeliveryState.HEALTHY);
		assertThat(requestsWhenPaused).isLessThan(5);
		assertThat(posthog.deliveries(uuids(events))).hasSize(5).allSatisfy((uuid, times) -> assertThat(times).isOne());
	}

	@Test
	void whenPostHogIsSlowThenAppendsAreNotHeldUp() throws Exception {
		posthog.answer((batch) -> new MockResponse.Builder().code(200).headersDelay(3, TimeUnit.SECONDS).build());
		List<BacklogEvent> first = events(1);
		this.backlog.append(first);
		await().atMost(Duration.ofSeconds(5)).until(() -> !posthog.batchesWith(uuids(first)).isEmpty());

		long slowest = 0;
		for (int i = 0; i < 20; i++) {
			long start = System.nanoTime();
			this.backlog.append(events(2));
			slowest = Math.max(slowest, System.nanoTime() - start);
		}

		assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofMillis(500));
	}

	private long deadLetters(java.util.Collection<UUID> uuids) {
		return this.jdbc.sql("SELECT count(*) FROM delivery_dead_letter WHERE uuid = ANY(?::uuid[])")
			.param(uuids.stream().map(UUID::toString).toArray(String[]::new))
			.query(Long.class)
			.single();
	}

}
