package so.second.gateway.settings;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.TestUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/api.md, analytics config: the config route tells the browser to start replay only
 * when analytics are on and the user turned recording on, and never for a Global Privacy
 * Control request.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"second.analytics.token=phc_ConfigRouteTestToken123", "second.analytics.host=https://eu.i.posthog.com" })
class AnalyticsConfigTests {

	@LocalServerPort
	int port;

	ApiClient browser;

	TestUser user;

	@BeforeEach
	void signedInUser() {
		this.browser = ApiClient.forPort(this.port);
		this.user = this.browser.signUpAndOnboard();
	}

	@Test
	void anonymizedUserGetsNoPostHogSettings() {
		Map<String, Object> config = this.browser.get("/api/analytics/config").json();

		assertThat(config).isEqualTo(nullable("enabled", true, "anonymized", true, "screenRecording", false,
				"distinctId", null, "posthog", null));
	}

	@Test
	void nonAnonymizedUserWithoutRecordingGetsNoPostHogSettings() {
		this.browser.put("/api/settings/usage-data", Map.of("anonymized", false));

		Map<String, Object> config = this.browser.get("/api/analytics/config").json();

		assertThat(config).isEqualTo(nullable("enabled", true, "anonymized", false, "screenRecording", false,
				"distinctId", null, "posthog", null));
	}

	@Test
	void recordingUserGetsTokenHostAndTheDerivedScriptUrl() {
		this.browser.put("/api/settings/usage-data", Map.of("screenRecording", true));

		Map<String, Object> config = this.browser.get("/api/analytics/config").json();

		assertThat(config).containsEntry("enabled", true)
			.containsEntry("anonymized", false)
			.containsEntry("screenRecording", true)
			.containsEntry("distinctId", this.user.id())
			.containsEntry("posthog", Map.of("token", "phc_ConfigRouteTestToken123", "host", "https://eu.i.posthog.com",
					"scriptUrl", "https://eu-assets.i.posthog.com/static/array.js"));
	}

	@Test
	void globalPrivacyControlKeepsReplayOffWhateverTheSetting() {
		this.browser.put("/api/settings/usage-data", Map.of("screenRecording", true));

		Map<String, Object> config = this.browser.withHeader("Sec-GPC", "1").get("/api/analytics/config").json();

		assertThat(config).containsEntry("posthog", null)
			.containsEntry("distinctId", null)
			.containsEntry("anonymized", true);
	}

	static Map<String, Object> nullable(Object... keysAndValues) {
		Map<String, Object> map = new HashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}
