package so.second.gateway.browser;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * WCAG 2.2 AA on both pages, in light and dark: axe-core (pinned, fetched with npm,
 * injected by the test, never served by the gateway) finds nothing in any state of them,
 * and the contrast ratios axe does not check, those of the switches' track and knob
 * (non-text contrast, 3:1), are asserted here together with the text colours (4.5:1).
 */
@EnabledIf(value = "so.second.gateway.browser.Chrome#installed", disabledReason = Chrome.NOT_INSTALLED)
class AccessibilityTests extends BrowserTestSupport {

	private static final String WCAG_22_AA = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']";

	@ParameterizedTest
	@ValueSource(strings = { "light", "dark" })
	void settingsPageHasNoAxeViolationsInAnyState(String scheme) {
		chrome.colorScheme(scheme);
		chrome.open("/settings/usage-data");
		assertNoViolations("settings, signed out");

		signUpAndOnboardInBrowser();
		chrome.open("/settings/usage-data");
		assertNoViolations("settings, defaults");

		chrome.find("#screen-recording").click();
		chrome.waiting().until(driver -> chrome.find("#confirm-recording").isDisplayed());
		assertNoViolations("settings, confirmation open");
		chrome.find("#confirm-start").click();
		chrome.waiting().until(driver -> chrome.find("#recording-badge").isDisplayed());
		assertNoViolations("settings, recording");

		chrome.header("Sec-GPC", "1");
		chrome.reload();
		assertNoViolations("settings, Global Privacy Control");
		chrome.screenshot("usage-data-" + scheme);
	}

	@ParameterizedTest
	@ValueSource(strings = { "light", "dark" })
	void demoPageHasNoAxeViolationsSignedOutOrIn(String scheme) {
		chrome.colorScheme(scheme);
		chrome.open("/demo");
		chrome.find("#sign-in").click(); // an error, shown as the page shows errors
		chrome.waiting().until(driver -> !chrome.find("#account-error").getText().isEmpty());
		assertNoViolations("demo, signed out with an error");

		signUpAndOnboardInBrowser();
		chrome.open("/demo");
		chrome.find("#send-all").click();
		chrome.waiting().until(driver -> chrome.find("#log").getText().contains("→ 202"));
		assertNoViolations("demo, onboarded with answers");
		chrome.screenshot("demo-" + scheme);
	}

	@ParameterizedTest
	@ValueSource(strings = { "light", "dark" })
	@SuppressWarnings("unchecked")
	void switchesButtonsAndTextMeetTheirContrastRatios(String scheme) {
		chrome.colorScheme(scheme);
		chrome.open("/settings/usage-data");
		signUpAndOnboardInBrowser();
		chrome.open("/settings/usage-data");

		Map<String, Object> ratios = (Map<String, Object>) chrome
			.js("""
					const rgb = (color) => color.match(/[\\d.]+/g).slice(0, 3).map(Number);
					const luminance = (color) => {
					  const [r, g, b] = rgb(color).map((c) => c / 255).map((c) => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
					  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
					};
					const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
					const style = (el, pseudo) => getComputedStyle(el, pseudo);
					const panel = style(document.getElementById('usage-data')).backgroundColor;
					const off = document.getElementById('screen-recording');
					const on = document.getElementById('anonymized');
					const primary = document.getElementById('confirm-start');
					const secondary = document.getElementById('confirm-cancel');
					const dialogBackground = style(document.getElementById('confirm-recording')).backgroundColor;
					const sample = (className) => {
					  const el = document.createElement('strong');
					  el.className = className;
					  document.getElementById('usage-data').append(el);
					  const color = style(el).color;
					  el.remove();
					  return color;
					};
					const badge = document.getElementById('recording-badge');
					return {
					  offTrackOnPanel: ratio(style(off).backgroundColor, panel),
					  knobOnOffTrack: ratio(style(off, '::before').backgroundColor, style(off).backgroundColor),
					  onTrackOnPanel: ratio(style(on).backgroundColor, panel),
					  knobOnOnTrack: ratio(style(on, '::before').backgroundColor, style(on).backgroundColor),
					  primaryButtonText: ratio(style(primary).color, style(primary).backgroundColor),
					  secondaryButtonText: ratio(style(secondary).color, dialogBackground),
					  mutedTextOnPanel: ratio(sample('help'), panel),
					  okTextOnPanel: ratio(sample('ok'), panel),
					  errorTextOnPanel: ratio(sample('error'), panel),
					  badgeText: ratio(style(badge).color, style(badge).backgroundColor),
					};
					""");

		assertThat(ratios)
			.allSatisfy((name, value) -> assertThat(((Number) value).doubleValue()).as(scheme + " " + name)
				.isGreaterThanOrEqualTo(name.contains("Track") ? 3.0 : 4.5));
		assertThat(ratios).hasSize(10);
	}

	@SuppressWarnings("unchecked")
	private static void assertNoViolations(String state) {
		String axe = AxeCorePackage.source();
		assumeTrue(axe != null, "axe-core@" + AxeCorePackage.VERSION
				+ " could not be fetched with npm; the axe checks are skipped (the contrast assertions still run)");
		if (!Boolean.TRUE.equals(chrome.js("return typeof window.axe === 'object';"))) {
			chrome.js(axe);
		}
		List<String> violations = (List<String>) chrome
			.async("""
					const result = await axe.run(document, { runOnly: { type: 'tag', values: %s } });
					return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
					"""
				.formatted(WCAG_22_AA));
		assertThat(violations).as(state).isEmpty();
	}

}
