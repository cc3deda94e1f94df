package so.second.gateway.account;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import so.second.gateway.database.ChangeNotifications;
import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.TestUser;
import so.second.gateway.support.GatewayInstance;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions and settings live in PostgreSQL: a second instance accepts the first one's
 * session, sees its settings changes at once, a logout ends the session at once where it
 * was made and within a second on the other instance, and everything survives a restart.
 */
class SharedSessionTests {

	@Test
	void sessionFromOneInstanceIsAcceptedBySecondInstanceAndSettingsApplyOnBoth() {
		String database = TestDatabase.freshDatabase();
		try (GatewayInstance first = GatewayInstance.start(database);
				GatewayInstance second = GatewayInstance.start(database)) {
			ApiClient onFirst = first.newBrowser();
			TestUser user = onFirst.signUpAndOnboard();
			ApiClient onSecond = second.newBrowser();
			onFirst.shareCookiesWith(onSecond);

			assertThat(onSecond.get("/api/me").json()).containsEntry("id", user.id());
			// capture has a security chain of its own: it takes the session too (204: no
			// PostHog token here, so analytics are off)
			assertThat(onSecond.post("/api/analytics/capture", capture()).status()).isEqualTo(204);

			onFirst.put("/api/settings/usage-data", Map.of("screenRecording", true));
			assertThat(onSecond.get("/api/settings/usage-data").json())
				.isEqualTo(Map.of("anonymized", false, "screenRecording", true));

			assertThat(onSecond.post("/api/auth/logout", null).status()).isEqualTo(204);
			assertThat(onSecond.get("/api/me").status()).isEqualTo(401);
			await().atMost(ChangeNotifications.MAX_LAG)
				.pollInterval(Duration.ofMillis(20))
				.until(() -> onFirst.get("/api/me").status() == 401);
			assertThat(onFirst.post("/api/analytics/capture", capture()).status()).isEqualTo(401);
			assertThat(onSecond.post("/api/analytics/capture", capture()).status()).isEqualTo(401);
		}
	}

	private static Map<String, Object> capture() {
		return Map.of("event", "page viewed", "anonymousId", "anon_" + UUID.randomUUID());
	}

	@Test
	void accountsSessionsAndSettingsSurviveARestart() {
		String database = TestDatabase.freshDatabase();
		ApiClient browser;
		TestUser user;
		try (GatewayInstance before = GatewayInstance.start(database)) {
			browser = before.newBrowser();
			user = browser.signUpAndOnboard();
			browser.put("/api/settings/usage-data", Map.of("anonymized", false));
		}
		try (GatewayInstance after = GatewayInstance.start(database)) {
			ApiClient sameBrowser = after.newBrowser();
			browser.shareCookiesWith(sameBrowser);
			assertThat(sameBrowser.get("/api/me").json()).containsEntry("id", user.id())
				.containsEntry("onboarded", true);
			assertThat(sameBrowser.get("/api/settings/usage-data").json())
				.isEqualTo(Map.of("anonymized", false, "screenRecording", false));

			ApiClient freshBrowser = after.newBrowser();
			assertThat(freshBrowser.login(user).status()).isEqualTo(200);
		}
	}

}
