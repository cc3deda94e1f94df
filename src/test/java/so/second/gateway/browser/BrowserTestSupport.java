package so.second.gateway.browser;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.function.SingletonSupplier;

import so.second.gateway.support.PostHogFake;
import so.second.gateway.support.TestDatabase;

/**
 * What the real-browser tests share: one gateway (one Spring context for every browser
 * test class) pointed at the {@link PostHogFake}, and one {@link Chrome} per test class,
 * started for the first test and quit after the last. Each subclass carries
 * {@code @EnabledIf(value = "so.second.gateway.browser.Chrome#installed", disabledReason = Chrome.NOT_INSTALLED)}
 * (conditions are not inherited), so without Chromium it is skipped, with the reason,
 * before any gateway is started.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class BrowserTestSupport {

	static final String TOKEN = "phc_BrowserTestProjectToken";

	/** The operator's privacy policy the settings page links to. */
	static final String PRIVACY_POLICY_PATH = "/privacy-policy-of-this-deployment";

	static final PostHogFake posthog = PostHogFake.start();

	private static final Supplier<String> database = SingletonSupplier.of(TestDatabase::freshDatabase);

	static Chrome chrome;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void pointAtFakePostHog(DynamicPropertyRegistry registry) {
		// The gateway delivers to the fake PostHog, from a database of its own.
		registry.add("spring.datasource.url", database::get);
		registry.add("spring.datasource.username", TestDatabase::username);
		registry.add("spring.datasource.password", TestDatabase::password);
		registry.add("second.delivery.drain", () -> "true");
		registry.add("second.analytics.token", () -> TOKEN);
		registry.add("second.analytics.host", posthog::host);
		registry.add("second.analytics.script-url", posthog::scriptUrl);
		// Deliver quickly, so a test sees PostHog's side within a second or two.
		registry.add("second.delivery.poll-interval", () -> "100ms");
		registry.add("second.privacy.policy-url", () -> PRIVACY_POLICY_PATH);
	}

	/**
	 * Starts the class's browser for its first test, and gives every test a clean one.
	 */
	@BeforeEach
	void freshBrowser() {
		if (chrome == null) {
			chrome = Chrome.startOrSkip(this.port);
		}
		chrome.forgetEverything();
	}

	@AfterAll
	static void quitBrowser() {
		if (chrome != null) {
			chrome.close();
			chrome = null;
		}
	}

	/**
	 * Signs up, signs in and finishes onboarding from the page open in the browser,
	 * through the same page helper the demo uses; the browser holds the session
	 * afterwards.
	 * @return the user: id, email, password
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> signUpAndOnboardInBrowser() {
		String email = "browser." + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
		String password = "correct horse " + UUID.randomUUID().toString().substring(0, 6);
		Map<String, Object> user = (Map<String, Object>) chrome.async("""
				const { api } = await import('/app/api.js');
				const [email, password] = args;
				await api('POST', '/api/auth/signup', { email, password, name: 'Grace Hopper' });
				await api('POST', '/api/auth/login', { email, password });
				const user = await api('POST', '/api/onboarding/complete');
				return { ...user, password };
				""", email, password);
		return user;
	}

	/**
	 * Turns screen recording on from the settings page the way a user does: the switch,
	 * then "Start recording" in the confirmation it opens.
	 */
	static void turnRecordingOnAndConfirm() {
		chrome.find("#screen-recording").click();
		chrome.waiting()
			.until(driver -> Boolean.TRUE
				.equals(chrome.js("return document.getElementById('confirm-recording').open;")));
		chrome.find("#confirm-start").click();
	}

	/** The session-replay calls the posthog-js stand-in recorded, by method name. */
	@SuppressWarnings("unchecked")
	static List<String> posthogCalls() {
		List<Map<String, Object>> calls = (List<Map<String, Object>>) chrome.js("return window.__posthogCalls || [];");
		return calls.stream().map(call -> (String) call.get("method")).toList();
	}

	@SuppressWarnings("unchecked")
	static List<Object> posthogCallArguments(String method) {
		List<Map<String, Object>> calls = (List<Map<String, Object>>) chrome.js("return window.__posthogCalls || [];");
		return calls.stream()
			.filter(call -> method.equals(call.get("method")))
			.reduce((first, second) -> second)
			.map(call -> (List<Object>) call.get("args"))
			.orElseThrow(() -> new AssertionError("posthog." + method + " was never called"));
	}

}
