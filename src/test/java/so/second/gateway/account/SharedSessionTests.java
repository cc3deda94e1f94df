package so.second.gateway.account;

import java.util.Map;

import org.junit.jupiter.api.Test;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.TestUser;
import so.second.gateway.support.GatewayInstance;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions and settings live in PostgreSQL: a second instance accepts the first one's
 * session, sees its settings changes at once, and everything survives a restart.
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

			onFirst.put("/api/settings/usage-data", Map.of("screenRecording", true));
			assertThat(onSecond.get("/api/settings/usage-data").json())
				.isEqualTo(Map.of("anonymized", false, "screenRecording", true));

			assertThat(onSecond.post("/api/auth/logout", null).status()).isEqualTo(204);
			assertThat(onFirst.get("/api/me").status()).isEqualTo(401);
		}
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
