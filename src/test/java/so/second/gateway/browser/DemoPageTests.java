package so.second.gateway.browser;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.Keys;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page as a visitor uses it: Enter signs in, an old error goes with the next
 * attempt, the account row does not wrap on a laptop screen, no anonymous id exists
 * before onboarding, the config is asked once per page load, and a normal visit, signed
 * out included, leaves no error in the console and has a favicon.
 */
@EnabledIf(value = "so.second.gateway.browser.Chrome#installed", disabledReason = Chrome.NOT_INSTALLED)
class DemoPageTests extends BrowserTestSupport {

	@Test
	void enterInThePasswordFieldSignsInRatherThanUp() {
		chrome.open("/demo");

		chrome.find("#password").sendKeys(Keys.ENTER);

		// The page's email is new, so signing in fails; signing up would have worked.
		chrome.waiting().until(driver -> !chrome.find("#account-error").getText().isEmpty());
		assertThat(chrome.find("#account-error").getText()).isEqualTo("Sign in: email or password is wrong");
		assertThat(chrome.find("#who").getDomAttribute("data-state")).isEqualTo("signed-out");
		chrome.screenshot("demo-sign-in-failed");
	}

	@Test
	void anOldErrorGoesWithTheNextAttempt() {
		chrome.open("/demo");
		chrome.find("#sign-in").click();
		chrome.waiting().until(driver -> !chrome.find("#account-error").getText().isEmpty());

		chrome.find("#sign-up").click();

		waitForAccountState("signed-in");
		assertThat(chrome.find("#account-error").getText()).isEmpty();
	}

	@Test
	void theAccountButtonsDoNotWrapOnALaptopScreen() {
		chrome.windowSize(1440, 900);
		chrome.open("/demo");

		for (String id : List.of("sign-in", "sign-up")) {
			Object lines = chrome.js("""
					const range = document.createRange();
					range.selectNodeContents(document.getElementById(arguments[0]));
					return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
					""", id);
			assertThat(lines).as(id + " lines").isEqualTo(1L);
		}
		assertThat(chrome.find("#sign-in").getLocation().getY())
			.isEqualTo(chrome.find("#sign-up").getLocation().getY());
		chrome.screenshot("demo-signed-out-1440");
	}

	@Test
	void noAnonymousIdExistsBeforeOnboarding() {
		chrome.open("/demo");
		chrome.find("#sign-up").click();
		waitForAccountState("signed-in");

		chrome.find("button[data-event='sidebar clicked']").click();

		chrome.waiting().until(driver -> chrome.find("#log").getText().contains("sidebar clicked: not sent"));
		assertThat(chrome.js("return localStorage.getItem('second:analytics-anonymous-id:v1')")).isNull();
		assertThat(chrome.find("#anonymous-id").getText()).startsWith("(none yet");

		chrome.find("#onboard").click();
		waitForAccountState("onboarded");
		chrome.waiting()
			.until(driver -> chrome.js("return localStorage.getItem('second:analytics-anonymous-id:v1')") != null);
		chrome.screenshot("demo-onboarded");
	}

	@Test
	void theConfigIsAskedOncePerPageLoad() {
		chrome.open("/demo");
		signUpAndOnboardInBrowser();

		chrome.open("/demo");

		assertThat(chrome.js("""
				return performance.getEntriesByType('resource')
				  .filter((entry) => new URL(entry.name).pathname === '/api/analytics/config').length;
				""")).isEqualTo(1L);
	}

	@Test
	void aNormalVisitLeavesNoErrorInTheConsoleAndHasAFavicon() {
		chrome.open("/demo"); // signed out: the page must not provoke a 401
		assertThat(chrome.consoleErrors()).isEmpty();

		chrome.find("#sign-up").click();
		waitForAccountState("signed-in");
		chrome.find("#onboard").click();
		waitForAccountState("onboarded");
		chrome.find("#send-all").click();
		chrome.waiting().until(driver -> chrome.find("#log").getText().contains("POST /api/analytics/capture → 202"));
		chrome.open("/settings/usage-data");
		chrome.open("/demo");
		chrome.find("#sign-out").click();
		waitForAccountState("signed-out");
		chrome.open("/settings/usage-data");

		assertThat(chrome.consoleErrors()).isEmpty();
		String icon = (String) chrome.js("return document.querySelector('link[rel=icon]').href");
		assertThat(icon).endsWith("/favicon.svg");
		assertThat(chrome.async("return (await fetch(args[0])).status;", icon)).isEqualTo(200L);
	}

	private static void waitForAccountState(String state) {
		chrome.waiting()
			.withMessage(() -> "account state was " + chrome.find("#who").getDomAttribute("data-state") + ": "
					+ chrome.find("#account-error").getText())
			.until(driver -> state.equals(chrome.find("#who").getDomAttribute("data-state")));
	}

}
