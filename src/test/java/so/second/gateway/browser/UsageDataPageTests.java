package so.second.gateway.browser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage-data settings page in a real browser: loads and saves through the settings
 * API, shows the coupling, shows the gateway's errors, and works from the keyboard.
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
	}

	@Test
	void persistsBothSwitchesAndShowsTheCoupling() {
		openAsNewUser();

		// From the keyboard: focus the switch, press Space.
		chrome.find("#screen-recording").sendKeys(Keys.SPACE);
		waitForStatus(
				"Screen recording is on. Anonymization was turned off, because a recording shows your real screen.");
		assertThat(chrome.find("#anonymized").isSelected()).isFalse();
		chrome.screenshot("usage-data-settings");

		chrome.reload();
		assertThat(chrome.find("#screen-recording").isSelected()).isTrue();
		assertThat(chrome.find("#anonymized").isSelected()).isFalse();

		chrome.find("#anonymized").sendKeys(Keys.SPACE);
		waitForStatus("Anonymization is on. Screen recording was turned off, because it cannot be anonymized.");
		assertThat(chrome.find("#screen-recording").isSelected()).isFalse();

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
	void showsTheGatewaysProblemDetailAndPutsTheSwitchBack() {
		openAsNewUser();
		// The session ends behind the page's back (another tab signed out, or it
		// expired).
		for (Cookie cookie : chrome.driver().manage().getCookies()) {
			if (!cookie.getName().equals("XSRF-TOKEN")) {
				chrome.driver().manage().deleteCookie(cookie);
			}
		}

		chrome.find("#anonymized").click();

		chrome.waiting().until(driver -> !chrome.find("#error").getText().isEmpty());
		assertThat(chrome.find("#error").getText()).isEqualTo("Could not save: authentication required: sign in first");
		assertThat(chrome.find("#anonymized").isSelected()).isTrue();
	}

	@Test
	void signedOutVisitorIsSentToSignIn() {
		chrome.open("/settings/usage-data");

		assertThat(chrome.find("#signed-out").isDisplayed()).isTrue();
		assertThat(chrome.find("#usage-data").isDisplayed()).isFalse();
	}

	private void openAsNewUser() {
		chrome.open("/settings/usage-data");
		signUpAndOnboardInBrowser();
		chrome.open("/settings/usage-data");
	}

	private static void waitForStatus(String text) {
		chrome.waiting()
			.withMessage(() -> "status was: " + chrome.find("#status").getText())
			.until(driver -> chrome.find("#status").getText().equals(text));
	}

}
