package so.second.gateway.settings;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import so.second.gateway.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With analytics off for the deployment, the config route says so and never starts
 * replay.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "second.analytics.token=phc_ConfigRouteTestToken123", "second.analytics.posthog-disabled=YES" })
class AnalyticsConfigWhenDisabledTests {

	@LocalServerPort
	int port;

	@Test
	void recordingUserGetsNoPostHogSettingsWhenAnalyticsAreOff() {
		ApiClient browser = ApiClient.forPort(this.port);
		browser.signUpAndOnboard();
		browser.put("/api/settings/usage-data", Map.of("screenRecording", true));

		Map<String, Object> config = browser.get("/api/analytics/config").json();

		assertThat(config).containsEntry("enabled", false)
			.containsEntry("screenRecording", true)
			.containsEntry("posthog", null)
			.containsEntry("distinctId", null);
	}

}
