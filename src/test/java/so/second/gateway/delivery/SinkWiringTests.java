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
	void withAnalyticsOffNothingOfTheDurableDeliveryIsWiredAndTheDeadLetterRoutesSaySo() {
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
			for (ApiClient.Reply reply : List.of(operator.get("/api/admin/dead-letters"),
					operator.post("/api/admin/dead-letters/resend", Map.of()),
					operator.post("/api/admin/dead-letters/1/resend", Map.of()))) {
				assertThat(reply.status()).isEqualTo(409);
				assertThat(reply.json()).containsEntry("status", 409);
				assertThat((String) reply.json().get("type")).endsWith("analytics-off");
			}
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
