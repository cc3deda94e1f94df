package so.second.gateway.browser;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.WindowType;

import so.second.gateway.support.PostHogFake;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session replay in a real browser: posthog-js (the stand-in that records its calls) is
 * loaded from the config route's scriptUrl only when recording is on, and is stopped and
 * reset when recording is turned off, anonymization is turned back on, analytics are off,
 * or the user signs out.
 */
@EnabledIf(value = "so.second.gateway.browser.Chrome#installed", disabledReason = Chrome.NOT_INSTALLED)
class SessionReplayTests extends BrowserTestSupport {

	private static final List<String> STARTED = List.of("init", "identify", "startSessionRecording");

	private static final List<String> STARTED_THEN_STOPPED = List.of("init", "identify", "startSessionRecording",
			"stopSessionRecording", "reset");

	@Test
	@SuppressWarnings("unchecked")
	void turningRecordingOnLoadsPosthogJsFromTheScriptUrlAndStartsRecordingAsTheUser() {
		String userId = startRecordingOnTheSettingsPage();

		assertThat(posthogCalls()).isEqualTo(STARTED);
		List<Object> init = posthogCallArguments("init");
		assertThat(init.get(0)).isEqualTo(TOKEN);
		assertThat((Map<String, Object>) init.get(1)).containsEntry("api_host", posthog.host())
			.containsEntry("autocapture", false)
			.containsEntry("capture_pageview", false)
			.containsEntry("capture_pageleave", false)
			.containsEntry("disable_session_recording", false);
		assertThat(posthogCallArguments("identify")).containsExactly(userId);
		assertThat(chrome.js("return document.querySelector('script[data-second-analytics]').src"))
			.isEqualTo(posthog.scriptUrl());
		assertThat(chrome.js("return window.posthog.sessionRecordingStarted()")).isEqualTo(true);
		assertThat(chrome.find("#replay").getText()).isEqualTo("Screen recording is active in this tab.");
		// The Content-Security-Policy let the script in,
		// and the browser sent PostHog nothing else.
		assertThat(chrome.console()).noneMatch(line -> line.contains("Content Security Policy"));
		assertThat(posthog.requestsFromBrowsers()).containsOnly("GET " + PostHogFake.SCRIPT_PATH);
	}

	@Test
	void recordingIsShownActiveOnlyOnceTheSdkReallyRecords() {
		posthog.scriptMissing(true);
		try {
			chrome.open("/settings/usage-data");
			signUpAndOnboardInBrowser();
			chrome.open("/settings/usage-data");

			turnRecordingOnAndConfirm();

			chrome.waiting()
				.withMessage(() -> "replay line: " + chrome.find("#replay").getText())
				.until(driver -> chrome.find("#replay")
					.getText()
					.startsWith("Screen recording is on in your settings, but could not start"));
			assertThat(chrome.find("#replay").getText()).contains("Nothing is being recorded here")
				.doesNotContain("is active");
			assertThat(chrome.find("#recording-badge").isDisplayed()).isFalse();
			assertThat(chrome.find("#screen-recording").isSelected()).isTrue();
			chrome.screenshot("usage-data-recording-failed");
		}
		finally {
			posthog.scriptMissing(false);
		}
	}

	@Test
	void recordingIsNotStartedWhileAnonymized() {
		chrome.open("/settings/usage-data");
		signUpAndOnboardInBrowser();
		chrome.open("/settings/usage-data");

		assertThat(chrome.js("return document.querySelector('script[data-second-analytics]')")).isNull();
		assertThat(posthogCalls()).isEmpty();
		assertThat(chrome.find("#replay").getText()).isEqualTo("Screen recording is not active in this tab.");
	}

	@Test
	void turningRecordingOffStopsItAndResetsTheSdk() {
		startRecordingOnTheSettingsPage();

		chrome.find("#screen-recording").click();

		waitForCalls(STARTED_THEN_STOPPED);
		assertThat(chrome.js("return window.posthog.sessionRecordingStarted()")).isEqualTo(false);
	}

	@Test
	void turningAnonymizationBackOnStopsRecordingAndResetsTheSdk() {
		startRecordingOnTheSettingsPage();

		chrome.find("#anonymized").click();

		waitForCalls(STARTED_THEN_STOPPED);
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();
		assertThat(chrome.find("#status").getText()).contains("Screen recording was turned off");
	}

	@Test
	void signingOutStopsRecordingAndResetsTheSdk() {
		startRecordingOnTheSettingsPage();
		chrome.open("/demo");
		waitForCalls(STARTED); // a new page: recording starts again from the config route

		chrome.find("#sign-out").click();

		waitForCalls(STARTED_THEN_STOPPED);
		chrome.waiting().until(driver -> "signed-out".equals(chrome.find("#who").getDomAttribute("data-state")));
	}

	@Test
	void signingOutInAnotherTabStopsRecordingHereAtOnce() {
		startRecordingOnTheSettingsPage();
		String settingsTab = chrome.driver().getWindowHandle();
		chrome.driver().switchTo().newWindow(WindowType.TAB);
		chrome.open("/demo");

		chrome.find("#sign-out").click();
		chrome.waiting().until(driver -> "signed-out".equals(chrome.find("#who").getDomAttribute("data-state")));

		chrome.driver().switchTo().window(settingsTab);
		waitForCalls(STARTED_THEN_STOPPED);
		chrome.waiting().until(driver -> chrome.find("#error").getText().startsWith("Your session has ended"));
		assertThat(chrome.find("#recording-badge").isDisplayed()).isFalse();
	}

	@Test
	void analyticsTurnedOffStopsRecordingAndResetsTheSdk() {
		startRecordingOnTheSettingsPage();

		// What the config route answers when the operator turned analytics off.
		chrome
			.async("""
					const analytics = await import('/analytics/second-analytics.js');
					await analytics.applyConfig({ enabled: false, anonymized: false, screenRecording: true, distinctId: null, posthog: null });
					""");

		waitForCalls(STARTED_THEN_STOPPED);
	}

	/** A new user turns recording on with the switch; returns the user's id. */
	private String startRecordingOnTheSettingsPage() {
		chrome.open("/settings/usage-data");
		String userId = (String) signUpAndOnboardInBrowser().get("id");
		chrome.open("/settings/usage-data");
		turnRecordingOnAndConfirm();
		waitForCalls(STARTED);
		return userId;
	}

	private static void waitForCalls(List<String> expected) {
		chrome.waiting()
			.withMessage(() -> "posthog-js calls were " + posthogCalls())
			.until(driver -> posthogCalls().equals(expected));
	}

}
