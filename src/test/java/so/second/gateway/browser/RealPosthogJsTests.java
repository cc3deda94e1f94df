package so.second.gateway.browser;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import so.second.gateway.support.PostHogFake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Session replay with the real posthog-js build, pinned, fetched with npm: it loads under
 * the pages' Content-Security-Policy with its lazily loaded recorder, records as the
 * user, and is stopped and reset by the settings page. Skipped where npm or the registry
 * is not available; the stand-in tests cover the calls either way.
 */
@EnabledIf(value = "so.second.gateway.browser.Chrome#installed", disabledReason = Chrome.NOT_INSTALLED)
class RealPosthogJsTests extends BrowserTestSupport {

	@BeforeAll
	static void serveRealPosthogJs() {
		Path dist = PosthogJsPackage.fetch();
		assumeTrue(dist != null, "posthog-js@" + PosthogJsPackage.VERSION
				+ " could not be fetched with npm; the real-SDK replay test is skipped (the stand-in tests still ran)");
		posthog.serveRealPosthogJs(dist.toAbsolutePath());
	}

	@AfterAll
	static void serveTheStandInAgain() {
		posthog.serveRealPosthogJs(null);
	}

	@Test
	void recordsUnderThePagesPolicyAsTheUserAndStopsAndResetsWhenTurnedOff() {
		chrome.open("/settings/usage-data");
		String userId = (String) signUpAndOnboardInBrowser().get("id");
		chrome.open("/settings/usage-data");

		turnRecordingOnAndConfirm();

		chrome.waiting()
			.withMessage(() -> "recording did not start; console: " + chrome.console())
			.until(driver -> Boolean.TRUE.equals(chrome
				.js("return !!(window.posthog && window.posthog.__loaded && window.posthog.sessionRecordingStarted());")));
		assertThat(chrome.js("return window.posthog.get_distinct_id();")).isEqualTo(userId);
		assertThat(chrome.js("return window.posthog.sessionRecording.status;")).isEqualTo("active");
		// The SDK and its recorder came from the script
		// origin the policy allows, nothing was refused.
		assertThat(posthog.requestsFromBrowsers()).contains("GET " + PostHogFake.SCRIPT_PATH)
			.anyMatch(request -> request.contains("recorder"));
		assertThat(chrome.console()).noneMatch(line -> line.contains("Content Security Policy"));

		chrome.find("#screen-recording").click();

		chrome.waiting()
			.until(driver -> Boolean.FALSE.equals(chrome.js("return window.posthog.sessionRecordingStarted();")));
		assertThat(chrome.js("return window.posthog.get_distinct_id();")).isNotEqualTo(userId);
	}

}
