package so.second.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import so.second.gateway.pipeline.PlantedIdentifiers;
import so.second.gateway.pipeline.TrackingPlan;
import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.ApiClient.TestUser;
import so.second.gateway.support.GatewayInstance;
import so.second.gateway.support.PostHogFake;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The planted-identifier generator through the real thing: HTTP capture, the durable
 * backlog, delivery to a fake PostHog. Users with generated names and emails, anonymized
 * or non-anonymized but sending {@code Sec-GPC: 1}, post a few thousand events with
 * identifiers planted everywhere; every one arrives exactly once, and nothing that
 * arrives holds a planted identifier.
 */
class PlantedIdentifiersEndToEndTests {

	private static final int USERS = 6;

	private static final int BATCHES_PER_USER = 8;

	private static final int BATCH_SIZE = 50;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final PostHogFake posthog = PostHogFake.start();

	@Test
	void plantedIdentifiersNeverReachPostHogAndEveryAcceptedEventArrivesOnce() {
		Random random = new Random(20261202L);
		TrackingPlan plan = TrackingPlan.fromClasspath();
		Map<UUID, Sent> sent = new HashMap<>();
		try (GatewayInstance gateway = GatewayInstance.start(TestDatabase.freshDatabase(),
				"--second.analytics.token=phc_PlantedIdentifiersToken0123",
				"--second.analytics.host=" + this.posthog.host(), "--second.delivery.drain=true",
				"--second.delivery.poll-interval=50ms")) {
			for (int u = 0; u < USERS; u++) {
				PlantedIdentifiers.User generated = PlantedIdentifiers.user(random);
				ApiClient browser = gateway.newBrowser();
				TestUser account = browser.onboard(browser.signUp(generated.email(), generated.name()));
				PlantedIdentifiers.User user = new PlantedIdentifiers.User(account.id(), generated.email(),
						generated.firstName(), generated.lastName());
				if (u % 3 == 0) {
					// Identified by setting, anonymized by the browser's
					// Global Privacy Control.
					assertThat(browser.put("/api/settings/usage-data", Map.of("anonymized", false)).status())
						.isEqualTo(200);
					browser.withHeader("Sec-GPC", "1");
				}
				for (int b = 0; b < BATCHES_PER_USER; b++) {
					List<Map<String, Object>> batch = new ArrayList<>();
					for (int e = 0; e < BATCH_SIZE; e++) {
						PlantedIdentifiers.Planted planted = PlantedIdentifiers.event(random, user, plan);
						batch.add(planted.rawEvent());
						sent.put(UUID.fromString((String) planted.rawEvent().get("uuid")), new Sent(user, planted));
					}
					Reply reply = browser.post("/api/analytics/capture", Map.of("batch", batch));
					assertThat(reply.status()).as(reply.body()).isEqualTo(202);
					assertThat(reply.json()).containsEntry("accepted", BATCH_SIZE);
				}
			}
			await().atMost(Duration.ofSeconds(60))
				.until(() -> this.posthog.deliveries(sent.keySet()).size() == sent.size());
		}

		assertThat(this.posthog.deliveries(sent.keySet()).values()).hasSize(USERS * BATCHES_PER_USER * BATCH_SIZE)
			.containsOnly(1L);
		List<String> leaks = new ArrayList<>();
		for (PostHogFake.Batch batch : this.posthog.batchesWith(sent.keySet())) {
			for (JsonNode event : batch.events()) {
				Sent origin = sent.get(UUID.fromString(event.get("uuid").asString()));
				if (origin != null && batch.delivered()) {
					@SuppressWarnings("unchecked")
					Map<String, Object> forwarded = JSON.treeToValue(event, Map.class);
					leaks.addAll(PlantedIdentifiers.leaks(forwarded, origin.user(), origin.planted().plantedValues()));
				}
			}
		}
		assertThat(leaks).isEmpty();
	}

	private record Sent(PlantedIdentifiers.User user, PlantedIdentifiers.Planted planted) {
	}

}
