package so.second.gateway.browser;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's recording time box on the settings page: the confirmation and the page
 * say how long recording lasts and when it ends, and when it runs out the server has
 * turned it off, the page says so, and replay stops in the tab.
 */
@EnabledIf(value = "so.second.gateway.browser.Chrome#installed", disabledReason = Chrome.NOT_INSTALLED)
@TestPropertySource(properties = "second.privacy.recording-max-duration=5s")
class RecordingTimeBoxPageTests extends BrowserTestSupport {

	@Test
	void recordingTurnsItselfOffWhenTheTimeBoxRunsOutAndThePageSaysSo() {
		chrome.open("/settings/usage-data");
		signUpAndOnboardInBrowser();
		chrome.open("/settings/usage-data");
		assertThat(chrome.find("#time-box-help").getText())
			.isEqualTo("It turns itself off after 5 seconds, and anonymization comes back on.");

		chrome.find("#screen-recording").click();
		chrome.waiting().until(driver -> chrome.find("#confirm-recording").isDisplayed());
		assertThat(chrome.find("#confirm-time-box").getText())
			.isEqualTo("Recording turns itself off after 5 seconds; anonymization then comes back on.");
		chrome.find("#confirm-start").click();

		chrome.waiting().until(driver -> chrome.find("#time-box").isDisplayed());
		assertThat(chrome.find("#time-box").getText()).startsWith("Screen recording turns itself off at ")
			.endsWith(", and anonymization comes back on.");
		chrome.waiting().until(driver -> posthogCalls().equals(List.of("init", "identify", "startSessionRecording")));
		chrome.screenshot("usage-data-recording-time-box");

		chrome.waiting()
			.withMessage(() -> "status: " + chrome.find("#status").getText())
			.until(driver -> chrome.find("#status")
				.getText()
				.equals("Screen recording turned itself off at the end of its time limit. Anonymization is on again."));
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();
		assertThat(chrome.find("#anonymized").isSelected()).isTrue();
		assertThat(chrome.find("#time-box").isDisplayed()).isFalse();
		chrome.waiting()
			.until(driver -> posthogCalls()
				.equals(List.of("init", "identify", "startSessionRecording", "stopSessionRecording", "reset")));
		chrome.screenshot("usage-data-recording-ended");
	}

}
