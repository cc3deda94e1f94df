package so.second.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import so.second.gateway.support.PostHogFake;
import so.second.gateway.support.PostHogFake.Batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The size limits of PostHog's requests: a claim's events go in one request unless their
 * UTF-8 bytes pass {@code max-batch-size} (4 KB here), and then in requests that each
 * stay under it. (An event over PostHog's own limit of 1 MB:
 * {@code DeliveryBatchingTests}, at the default {@code max-batch-size}.)
 */
class DeliveryRequestSizeTests {

	private static final long MAX_BATCH_BYTES = 4096;

	private static final PostHogFake posthog = PostHogFake.start();

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void startWithSmallRequests() {
		posthog.answerOk();
		gateway = DeliveryTestContext.startGateway(posthog, "--second.delivery.max-batch-size=4KB");
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void eventsOverMaxBatchSizeGoInSeveralRequestsEachUnderIt() {
		// about 40 × 300 bytes: three requests at least
		List<BacklogEvent> events = DeliveryTestContext.events(40);
		List<UUID> uuids = DeliveryTestContext.uuids(events);

		gateway.getBean(EventBacklog.class).append(events);

		await().atMost(Duration.ofSeconds(20)).until(() -> posthog.deliveries(uuids).size() == uuids.size());
		assertThat(posthog.deliveries(uuids).values()).allMatch((count) -> count == 1);
		List<Batch> batches = posthog.batchesWith(uuids);
		assertThat(batches).hasSizeGreaterThanOrEqualTo(3);
		assertThat(batches).allSatisfy((batch) -> assertThat(eventBytes(batch)).isLessThanOrEqualTo(MAX_BATCH_BYTES));
	}

	@Test
	void eventsUnderMaxBatchSizeGoInOneRequestEvenWhenThreeBytesACharWouldNotFit() {
		// about 10 × 300 bytes: under 4 KB, though three times their chars is not
		List<BacklogEvent> events = DeliveryTestContext.events(10);
		List<UUID> uuids = DeliveryTestContext.uuids(events);

		gateway.getBean(EventBacklog.class).append(events);

		await().atMost(Duration.ofSeconds(20)).until(() -> posthog.deliveries(uuids).size() == uuids.size());
		List<Batch> batches = posthog.batchesWith(uuids);
		assertThat(batches).hasSize(1);
		assertThat(3 * eventBytes(batches.get(0))).isGreaterThan(MAX_BATCH_BYTES);
	}

	/** The events' bytes as {@code max-batch-size} counts them: each, and a comma. */
	private static long eventBytes(Batch batch) {
		long bytes = 0;
		for (JsonNode event : batch.events()) {
			bytes += Utf8.length(event.toString()) + 1;
		}
		return bytes;
	}

}
