package so.second.gateway.settings;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.TestUser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's recording time box ({@code SECOND_RECORDING_MAX_DURATION}): recording
 * turns itself off on the server when it runs out, anonymization comes back on, and the
 * settings and config answers say when that will be. The variables are given by their
 * environment names, so their mapping in application.yml is covered too.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "second.analytics.token=phc_TimeBoxTestToken123", "SECOND_RECORDING_MAX_DURATION=3s",
				"SECOND_PRIVACY_POLICY_URL=https://example.com/privacy" })
class RecordingTimeBoxTests {

	private static final String SETTINGS = "/api/settings/usage-data";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	ApiClient browser;

	TestUser user;

	@BeforeEach
	void signedInUser() {
		this.browser = ApiClient.forPort(this.port);
		this.user = this.browser.signUpAndOnboard();
	}

	@Test
	void turningRecordingOnAnswersWhenItWillEnd() {
		Instant before = Instant.now();

		Map<String, Object> answer = this.browser.put(SETTINGS, Map.of("screenRecording", true)).json();

		assertThat(answer).containsEntry("anonymized", false).containsEntry("screenRecording", true);
		Instant endsAt = Instant.parse((String) answer.get("screenRecordingEndsAt"));
		assertThat(endsAt).isBetween(before.plusSeconds(3), Instant.now().plusSeconds(3));
		assertThat(this.browser.get(SETTINGS).json()).isEqualTo(answer);
		assertThat(this.browser.get("/api/analytics/config").json()).containsEntry("screenRecordingEndsAt",
				answer.get("screenRecordingEndsAt"));
	}

	@Test
	void recordingTurnsItselfOffAndAnonymizationComesBackWhenTheTimeBoxRunsOut() {
		this.browser.put(SETTINGS, Map.of("screenRecording", true));

		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.browser.get(SETTINGS).json(),
					settings -> settings.equals(Map.of("anonymized", true, "screenRecording", false)));

		Map<String, Object> config = this.browser.get("/api/analytics/config").json();
		assertThat(config).containsEntry("anonymized", true)
			.containsEntry("screenRecording", false)
			.containsEntry("posthog", null)
			.doesNotContainKey("screenRecordingEndsAt");
		// The row says so too, not only the reads.
		Map<String, Object> row = this.jdbc.sql(
				"SELECT anonymized, screen_recording, screen_recording_since FROM usage_data_settings WHERE user_id = CAST(:id AS uuid)")
			.param("id", this.user.id())
			.query()
			.singleRow();
		assertThat(row).containsEntry("anonymized", true)
			.containsEntry("screen_recording", false)
			.containsEntry("screen_recording_since", null);
	}

	@Test
	void turningAnonymizationOffAloneCarriesNoEnd() {
		Map<String, Object> answer = this.browser.put(SETTINGS, Map.of("anonymized", false)).json();

		assertThat(answer).isEqualTo(Map.of("anonymized", false, "screenRecording", false));
	}

	@Test
	void disclosureNamesPostHogThePolicyAndTheLimit() {
		Map<String, Object> disclosure = this.browser.get(SETTINGS + "/disclosure").json();

		assertThat(disclosure).containsEntry("analyticsEnabled", true)
			.containsEntry("recipient", "PostHog")
			.containsEntry("recipientHost", "https://us.i.posthog.com")
			.containsEntry("privacyPolicyUrl", "https://example.com/privacy")
			.containsEntry("recordingMaxDurationSeconds", 3)
			.containsEntry("globalPrivacyControl", false);
		assertThat(ApiClient.forPort(this.port).get(SETTINGS + "/disclosure").status()).isEqualTo(401);
	}

	@Test
	void disclosureSaysWhenTheBrowserSendsGlobalPrivacyControl() {
		this.browser.withHeader("Sec-GPC", "1");

		assertThat(this.browser.get(SETTINGS + "/disclosure").json()).containsEntry("globalPrivacyControl", true);
	}

}
