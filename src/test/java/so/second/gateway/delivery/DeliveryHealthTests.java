package so.second.gateway.delivery;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import so.second.gateway.support.PostHogFake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeliveryHealthTests extends DeliveryTestContext {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	DeliveryStatus status;

	@Autowired
	HealthContributorRegistry contributors;

	@Autowired
	HealthEndpointGroups groups;

	@Test
	void deliveryIsAHealthComponentInNeitherProbeGroup() {
		assertThat(this.contributors.getContributor("delivery")).isInstanceOf(DeliveryHealthIndicator.class);
		assertThat(this.groups.get("liveness").isMember("delivery")).isFalse();
		assertThat(this.groups.get("readiness").isMember("delivery")).isFalse();
	}

	@Test
	void whilePostHogRefusesTheTokenDeliveryShowsPausedAndTheGatewayStaysUp() {
		posthog.answer((batch) -> PostHogFake.status(403));
		this.backlog.append(events(1));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.status.state() == DeliveryState.PAUSED);

		DeliveryHealthIndicator delivery = (DeliveryHealthIndicator) this.contributors.getContributor("delivery");
		assertThat(delivery.health().getStatus().getCode()).isEqualTo("UP");
		assertThat(delivery.health().getDetails()).containsEntry("state", "paused")
			.containsEntry("lastFailure", "unauthorized");
		assertThat(this.mvc.get().uri("/livez")).hasStatusOk();
		assertThat(this.mvc.get().uri("/readyz")).hasStatusOk();

		posthog.answerOk();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.status.state() == DeliveryState.HEALTHY);
	}

}
