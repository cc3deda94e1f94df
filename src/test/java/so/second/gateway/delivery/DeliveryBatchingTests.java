package so.second.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import so.second.gateway.pipeline.OutgoingEvent;
import so.second.gateway.support.PostHogFake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery with its production batching (batch size, linger and request size at their
 * defaults): under a burst PostHog gets at most one request per 100 events, a lone event
 * still leaves within a second of its commit, and an event over PostHog's limit of 1 MB
 * is set aside without being sent, even though its claim is under {@code max-batch-size}.
 */
class DeliveryBatchingTests {

	private static final PostHogFake posthog = PostHogFake.start();

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void startWithDefaultBatching() {
		posthog.answerOk();
		gateway = DeliveryTestContext.startGateway(posthog);
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void aLoneEventLeavesWithinASecondOfItsCommit() {
		List<BacklogEvent> events = DeliveryTestContext.events(1);
		List<UUID> uuids = DeliveryTestContext.uuids(events);

		gateway.getBean(EventBacklog.class).append(events);

		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> posthog.deliveries(uuids).keySet().containsAll(uuids));
	}

	@Test
	void aBurstReachesPostHogInAtMostOneRequestPerHundredEvents() {
		EventBacklog backlog = gateway.getBean(EventBacklog.class);
		List<UUID> uuids = new ArrayList<>();
		List<CompletableFuture<Void>> appends = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			List<BacklogEvent> events = DeliveryTestContext.events(50);
			uuids.addAll(DeliveryTestContext.uuids(events));
			appends.add(CompletableFuture.runAsync(() -> backlog.append(events)));
		}
		CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).join();

		await().atMost(Duration.ofSeconds(30)).until(() -> posthog.deliveries(uuids).size() == uuids.size());
		assertThat(posthog.deliveries(uuids).values()).allMatch((count) -> count == 1);
		assertThat(posthog.batchesWith(uuids)).hasSizeLessThanOrEqualTo(uuids.size() / 100);
	}

	@Test
	void anEventOverPostHogsLimitIsSetAsideUnsentAndTheOthersOfItsClaimAreSent() {
		OutgoingEvent small = DeliveryTestContext.event("page viewed");
		OutgoingEvent huge = new OutgoingEvent(UUID.randomUUID(), "page viewed", "anon_" + UUID.randomUUID(),
				Instant.now(), Map.of("surface", "x".repeat(PostHogClient.MAX_EVENT_BYTES)));
		List<BacklogEvent> events = List.of(BacklogEvent.once(small), BacklogEvent.once(huge),
				BacklogEvent.once(DeliveryTestContext.event("page viewed")));
		List<UUID> sent = List.of(events.get(0).event().uuid(), events.get(2).event().uuid());
		DeadLetters deadLetters = gateway.getBean(DeadLetters.class);

		gateway.getBean(EventBacklog.class).append(events);

		await().atMost(Duration.ofSeconds(20)).until(() -> posthog.deliveries(sent).size() == 2);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> deadLetters.deadLetters(0, 100)
				.stream()
				.filter((letter) -> letter.uuid().equals(huge.uuid()))
				.map(DeadLetter::reason)
				.toList(), (reasons) -> reasons.equals(List.of("too_large")));
		assertThat(posthog.deliveries(List.of(huge.uuid()))).isEmpty();
	}

}
