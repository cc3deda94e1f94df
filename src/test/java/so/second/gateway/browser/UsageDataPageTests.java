package so.second.gateway.browser;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage-data settings page in a real browser: loads and saves through the settings
 * API, says what each mode sends and to whom, asks before recording, shows the coupling,
 * Global Privacy Control, loading, saving, errors and a lost session, keeps other tabs in
 * step, and works from the keyboard. Every state is photographed into
 * {@code target/screenshots/}.
 */
@EnabledIf(value = "so.second.gateway.browser.Chrome#installed", disabledReason = Chrome.NOT_INSTALLED)
class UsageDataPageTests extends BrowserTestSupport {

	@Test
	void switchesAreLabelledSwitchesThatStartFromTheDefaults() {
		openAsNewUser();

		for (String id : new String[] { "anonymized", "screen-recording" }) {
			WebElement input = chrome.find("#" + id);
			assertThat(input.getDomAttribute("role")).isEqualTo("switch");
			assertThat(input.getAccessibleName()).isNotBlank();
		}
		assertThat(chrome.find("#anonymized").getAccessibleName()).isEqualTo("Anonymize my usage data");
		assertThat(chrome.find("#anonymized").isSelected()).isTrue();
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();
		assertThat(chrome.find("#effective").getText()).isEqualTo("In force: anonymized, no screen recording.");
		chrome.screenshot("usage-data-default");
	}

	@Test
	void saysInPlainWordsWhatEachModeSendsToPostHogAndLinksThePrivacyPolicy() {
		openAsNewUser();

		String sent = chrome.find("#what-is-sent").getText();
		assertThat(sent).contains("PostHog (127.0.0.1:" + posthog.host().replaceAll(".*:", "") + ")")
			.contains("Anonymized (the default)", "Not anonymized", "Screen recording")
			.contains("email address and name", "IP address");
		assertThat(chrome.find("#anonymized-help").getText()).contains("PostHog", "email address, name and IP address");
		WebElement policy = chrome.find("#privacy-policy-link");
		assertThat(policy.isDisplayed()).isTrue();
		assertThat(policy.getDomProperty("href")).endsWith(PRIVACY_POLICY_PATH);
		assertThat(chrome.find("#time-box-help").getText()).isEmpty(); // no time box set
		chrome.screenshot("usage-data-what-is-sent");
	}

	@Test
	void persistsBothSwitchesAndShowsTheCoupling() {
		openAsNewUser();

		// From the keyboard: focus the switch, press Space, confirm.
		chrome.find("#screen-recording").sendKeys(Keys.SPACE);
		chrome.waiting().until(driver -> dialogOpen());
		chrome.find("#confirm-start").sendKeys(Keys.ENTER);
		waitForStatus(
				"Screen recording is on. Anonymization was turned off, because a recording shows your real screen.");
		assertThat(chrome.find("#anonymized").isSelected()).isFalse();
		assertThat(chrome.find("#effective").getText())
			.isEqualTo("In force: not anonymized, and your screen is recorded.");
		chrome.waiting().until(driver -> chrome.find("#recording-badge").isDisplayed());
		chrome.screenshot("usage-data-recording");

		chrome.reload();
		assertThat(chrome.find("#screen-recording").isSelected()).isTrue();
		assertThat(chrome.find("#anonymized").isSelected()).isFalse();

		chrome.find("#anonymized").sendKeys(Keys.SPACE);
		waitForStatus("Anonymization is on. Screen recording was turned off, because it cannot be anonymized.");
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();
		assertThat(chrome.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("anonymized");

		chrome.reload();
		assertThat(chrome.find("#anonymized").isSelected()).isTrue();
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();

		chrome.find("#anonymized").click();
		waitForStatus("Anonymization is off.");
		chrome.reload();
		assertThat(chrome.find("#anonymized").isSelected()).isFalse();
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();
	}

	@Test
	void recordingStartsOnlyAfterTheUserConfirmsWhatItSends() {
		openAsNewUser();
		recordSettingsRequests();

		chrome.find("#screen-recording").click();

		chrome.waiting().until(driver -> dialogOpen());
		WebElement dialog = chrome.find("#confirm-recording");
		assertThat(dialog.getAccessibleName()).isEqualTo("Record your screen?");
		assertThat(dialog.getText()).contains("PostHog", "masked", "email address");
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();
		chrome.screenshot("usage-data-confirm-recording");

		chrome.find("#confirm-cancel").click();

		waitForStatus("Screen recording stays off.");
		assertThat(dialogOpen()).isFalse();
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();
		assertThat(chrome.find("#anonymized").isSelected()).isTrue();
		assertThat(settingsRequests()).isEmpty();
		assertThat(posthogCalls()).isEmpty();

		// Escape is a "no" too.
		chrome.find("#screen-recording").sendKeys(Keys.SPACE);
		chrome.waiting().until(driver -> dialogOpen());
		chrome.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
		chrome.waiting().until(driver -> !dialogOpen());
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();
		assertThat(settingsRequests()).isEmpty();
	}

	@Test
	void globalPrivacyControlIsExplainedAndTheEffectiveModeShown() {
		openAsNewUser();
		chrome.find("#anonymized").click();
		waitForStatus("Anonymization is off.");

		chrome.header("Sec-GPC", "1");
		chrome.reload();

		assertThat(chrome.find("#gpc").isDisplayed()).isTrue();
		assertThat(chrome.find("#gpc").getText()).contains("Global Privacy Control", "anonymized");
		// The switch keeps the stored choice; what applies here is said beside it.
		assertThat(chrome.find("#anonymized").isSelected()).isFalse();
		assertThat(chrome.find("#effective").getText())
			.isEqualTo("In force in this browser: anonymized, no screen recording (Global Privacy Control).");
		chrome.screenshot("usage-data-global-privacy-control");
	}

	@Test
	void showsASkeletonUntilTheSettingsArrive() {
		openAsNewUser();
		// Hold the settings answer until the test lets it through.
		Map<String, Object> held = chrome.cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
				(() => {
				  const realFetch = window.fetch;
				  let release;
				  const gate = new Promise((resolve) => { release = resolve; });
				  window.__releaseSettings = () => release();
				  window.fetch = async (url, init) => {
				    if (String(url) === '/api/settings/usage-data') await gate;
				    return realFetch(url, init);
				  };
				})();
				"""));
		try {
			chrome.openWithoutWaiting("/settings/usage-data");
			chrome.waiting().until(driver -> chrome.js("return typeof window.__releaseSettings") != null);

			assertThat(chrome.find("#loading").isDisplayed()).isTrue();
			assertThat(chrome.find("#loading").getDomAttribute("aria-busy")).isEqualTo("true");
			assertThat(chrome.find("#usage-data").isDisplayed()).isFalse();
			chrome.screenshot("usage-data-loading");

			chrome.js("window.__releaseSettings()");
			chrome.waitUntilReady();
			assertThat(chrome.find("#loading").isDisplayed()).isFalse();
			assertThat(chrome.find("#usage-data").isDisplayed()).isTrue();
		}
		finally {
			chrome.cdp("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", held.get("identifier")));
		}
	}

	@Test
	void whileSavingSaysSoAndTheSwitchesCannotBeToggled() {
		openAsNewUser();
		chrome.js("""
				const realFetch = window.fetch;
				let release;
				const gate = new Promise((resolve) => { release = resolve; });
				window.__releaseSave = () => release();
				window.fetch = async (url, init) => {
				  if (url === '/api/settings/usage-data' && init?.method === 'PUT') await gate;
				  return realFetch(url, init);
				};
				""");

		chrome.find("#anonymized").click();

		waitForStatus("Saving…");
		assertThat(chrome.find("#anonymized").isEnabled()).isFalse();
		assertThat(chrome.find("#screen-recording").isEnabled()).isFalse();
		assertThat(chrome.find("#usage-data").getDomAttribute("aria-busy")).isEqualTo("true");
		chrome.screenshot("usage-data-saving");

		chrome.js("window.__releaseSave()");
		waitForStatus("Anonymization is off.");
		assertThat(chrome.find("#anonymized").isEnabled()).isTrue();
		assertThat(chrome.find("#screen-recording").isEnabled()).isTrue();
	}

	@Test
	void aProblemAnswerReplacesTheOldStatusAndPutsTheSwitchBack() {
		openAsNewUser();
		chrome.find("#anonymized").click();
		waitForStatus("Anonymization is off.");
		chrome.js("""
				const realFetch = window.fetch;
				window.fetch = (url, init) => url === '/api/settings/usage-data' && init?.method === 'PUT'
				  ? Promise.resolve(new Response(JSON.stringify({ type: 'about:blank', title: 'Service Unavailable',
				      status: 503, detail: 'the settings database is unavailable' }),
				      { status: 503, headers: { 'Content-Type': 'application/problem+json' } }))
				  : realFetch(url, init);
				""");

		chrome.find("#anonymized").click();

		chrome.waiting().until(driver -> !chrome.find("#error").getText().isEmpty());
		assertThat(chrome.find("#error").getText()).isEqualTo("Could not save: the settings database is unavailable");
		assertThat(chrome.find("#status").getText()).isEmpty();
		assertThat(chrome.find("#anonymized").isSelected()).isFalse();
		chrome.screenshot("usage-data-error");
	}

	@Test
	void aLostSessionOffersToSignInAgain() {
		openAsNewUser();
		chrome.find("#anonymized").click();
		waitForStatus("Anonymization is off.");
		// The session ends behind the page's back (another browser
		// signed out, or it expired).
		for (Cookie cookie : chrome.driver().manage().getCookies()) {
			if (!cookie.getName().equals("XSRF-TOKEN")) {
				chrome.driver().manage().deleteCookie(cookie);
			}
		}

		// The page may notice by itself first (its analytics client asks who is signed in
		// after every change and after a refused event); a change certainly finds out.
		chrome.js("arguments[0].click();", chrome.find("#anonymized"));

		chrome.waiting().until(driver -> !chrome.find("#error").getText().isEmpty());
		assertThat(chrome.find("#error").getText()).startsWith("Your session has ended")
			.doesNotContain("authentication required");
		WebElement signIn = chrome.find("#error a");
		assertThat(signIn.getText()).isEqualTo("Sign in again");
		assertThat(signIn.getDomProperty("href")).endsWith("/demo");
		assertThat(chrome.find("#status").getText()).isEmpty();
		assertThat(chrome.find("#usage-data").isDisplayed()).isFalse();
		chrome.screenshot("usage-data-session-lost");
	}

	@Test
	void signedOutVisitorIsSentToSignInWithoutAnErrorInTheConsole() {
		chrome.open("/settings/usage-data");

		assertThat(chrome.find("#signed-out").isDisplayed()).isTrue();
		assertThat(chrome.find("#sign-in").getDomProperty("href")).endsWith("/demo");
		assertThat(chrome.find("#usage-data").isDisplayed()).isFalse();
		assertThat(chrome.find("#loading").isDisplayed()).isFalse();
		assertThat(chrome.consoleErrors()).isEmpty();
		chrome.screenshot("usage-data-signed-out");
	}

	@Test
	void anotherTabsChangeShowsHereAndStartsAndStopsReplayHereToo() {
		openAsNewUser();
		String first = chrome.driver().getWindowHandle();
		chrome.driver().switchTo().newWindow(WindowType.TAB);
		chrome.open("/settings/usage-data");

		turnRecordingOnAndConfirm();
		waitForStatus(
				"Screen recording is on. Anonymization was turned off, because a recording shows your real screen.");

		chrome.driver().switchTo().window(first);
		waitForStatus("Changed in another tab. Screen recording is on, and anonymization is off.");
		assertThat(chrome.find("#screen-recording").isSelected()).isTrue();
		assertThat(chrome.find("#anonymized").isSelected()).isFalse();
		chrome.waiting().until(driver -> posthogCalls().equals(List.of("init", "identify", "startSessionRecording")));
		chrome.waiting()
			.until(driver -> chrome.find("#replay").getText().equals("Screen recording is active in this tab."));
		chrome.screenshot("usage-data-changed-in-another-tab");

		chrome.driver()
			.switchTo()
			.window(chrome.driver()
				.getWindowHandles()
				.stream()
				.filter(handle -> !handle.equals(first))
				.findFirst()
				.orElseThrow());
		chrome.find("#anonymized").click();
		waitForStatus("Anonymization is on. Screen recording was turned off, because it cannot be anonymized.");

		chrome.driver().switchTo().window(first);
		waitForStatus("Changed in another tab. Anonymization is on, and screen recording is off.");
		chrome.waiting()
			.until(driver -> posthogCalls()
				.equals(List.of("init", "identify", "startSessionRecording", "stopSessionRecording", "reset")));
		assertThat(chrome.find("#recording-badge").isDisplayed()).isFalse();
	}

	@Test
	void fitsAPhoneInDarkMode() {
		openAsNewUser();
		chrome.windowSize(390, 844);
		chrome.colorScheme("dark");
		chrome.reload();

		assertThat(chrome.js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
		chrome.screenshot("usage-data-phone-dark");
	}

	private void openAsNewUser() {
		chrome.open("/settings/usage-data");
		signUpAndOnboardInBrowser();
		chrome.open("/settings/usage-data");
	}

	private static boolean dialogOpen() {
		return Boolean.TRUE.equals(chrome.js("return document.getElementById('confirm-recording').open;"));
	}

	private static void recordSettingsRequests() {
		chrome
			.js("""
					window.__settingsRequests = [];
					const realFetch = window.fetch;
					window.fetch = (url, init) => {
					  if (url === '/api/settings/usage-data' && init?.method === 'PUT') window.__settingsRequests.push(init.body);
					  return realFetch(url, init);
					};
					""");
	}

	private static List<?> settingsRequests() {
		return (List<?>) chrome.js("return window.__settingsRequests");
	}

	private static void waitForStatus(String text) {
		chrome.waiting()
			.withMessage(() -> "status was: " + chrome.find("#status").getText() + " / error: "
					+ chrome.find("#error").getText())
			.until(driver -> chrome.find("#status").getText().equals(text));
	}

	@SuppressWarnings("unused")
	private static List<WebElement> all(String css) {
		return chrome.driver().findElements(By.cssSelector(css));
	}

}
