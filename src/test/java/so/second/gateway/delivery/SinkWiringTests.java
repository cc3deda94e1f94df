package so.second.gateway.delivery;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.GatewayInstance;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink is chosen once, at start-up, from the operator's settings: the whole gateway
 * is started each way and its wiring looked at.
 */
class SinkWiringTests {

	private static final String TOKEN = "--second.analytics.token=phc_SinkWiringTestToken0123";

	private static final String OPERATOR_TOKEN = "sink-wiring-operator-token-0123456789";

	@Test
	void withAnalyticsOffNothingOfTheDurableDeliveryIsWiredAndThereAreNoDeadLetters() {
		try (GatewayInstance gateway = GatewayInstance.start(TestDatabase.freshDatabase(), TOKEN, "--no-analytics",
				"--second.delivery.drain=true", "--second.admin.token=" + OPERATOR_TOKEN)) {
			assertThat(gateway.bean(EventBacklog.class)).isInstanceOf(NoDelivery.class);
			assertThat(gateway.has(BacklogStore.class)).isFalse();
			assertThat(gateway.has(GroupCommitBacklog.class)).isFalse();
			assertThat(gateway.has(DeliveryWorkers.class)).isFalse();
			assertThat(gateway.has(BacklogMonitor.class)).isFalse();
			assertThat(gateway.has(PostHogClient.class)).isFalse();
			assertThat(gateway.bean(DeliveryStatus.class).state()).isEqualTo(DeliveryState.DISABLED);

			ApiClient operator = gateway.newBrowser().withHeader("Authorization", "Bearer " + OPERATOR_TOKEN);
			ApiClient.Reply list = operator.get("/api/admin/dead-letters");
			assertThat(list.status()).isEqualTo(200);
			assertThat(list.json()).containsEntry("items", List.of());
			assertThat(operator.post("/api/admin/dead-letters/resend", Map.of()).json()).containsEntry("resent", 0);
			assertThat(operator.post("/api/admin/dead-letters/1/resend", Map.of()).status()).isEqualTo(404);
		}
	}

	@Test
	void withAnalyticsOnTheDurableBacklogAndItsWorkersAreWired() {
		try (GatewayInstance gateway = GatewayInstance.start(TestDatabase.freshDatabase(), TOKEN,
				"--second.analytics.host=http://127.0.0.1:9", "--second.delivery.drain=true")) {
			assertThat(gateway.bean(EventBacklog.class)).isInstanceOf(GroupCommitBacklog.class);
			assertThat(gateway.has(DeliveryWorkers.class)).isTrue();
			assertThat(gateway.bean(DeliveryStatus.class).state()).isEqualTo(DeliveryState.HEALTHY);
		}
	}

	@Test
	void anInstanceThatDoesNotDrainStillStoresWhatItAcceptsButRunsNoWorkers() {
		try (GatewayInstance gateway = GatewayInstance.start(TestDatabase.freshDatabase(), TOKEN,
				"--second.analytics.host=http://127.0.0.1:9", "--second.delivery.drain=false")) {
			assertThat(gateway.bean(EventBacklog.class)).isInstanceOf(GroupCommitBacklog.class);
			assertThat(gateway.has(DeliveryWorkers.class)).isFalse();
		}
	}

}
