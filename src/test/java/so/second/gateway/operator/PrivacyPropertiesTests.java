package so.second.gateway.operator;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The privacy-policy link and the recording time box: unset by default, and a bad value
 * names its variable.
 */
class PrivacyPropertiesTests {

	@Test
	void unsetMeansNoLinkAndNoLimit() {
		PrivacyProperties properties = new PrivacyProperties("  ", null);

		assertThat(properties.policyUrl()).isNull();
		assertThat(properties.recordingMaxDuration()).isNull();
	}

	@Test
	void acceptsAnHttpsUrlOrAPathOnThisSite() {
		assertThat(new PrivacyProperties(" https://example.com/privacy ", null).policyUrl())
			.isEqualTo("https://example.com/privacy");
		assertThat(new PrivacyProperties("/privacy", null).policyUrl()).isEqualTo("/privacy");
	}

	@Test
	void refusesAScriptUrlAProtocolRelativeUrlAndCredentials() {
		for (String bad : new String[] { "javascript:alert(1)", "//evil.example/privacy", "https://user:pw@example.com",
				"example.com/privacy" }) {
			assertThatThrownBy(() -> new PrivacyProperties(bad, null))
				.isInstanceOf(InvalidOperatorSettingException.class)
				.hasMessageStartingWith("SECOND_PRIVACY_POLICY_URL ")
				.hasMessageNotContaining(bad);
		}
	}

	@Test
	void refusesATimeBoxShorterThanASecond() {
		assertThatThrownBy(() -> new PrivacyProperties(null, Duration.ofMillis(10)))
			.isInstanceOf(InvalidOperatorSettingException.class)
			.hasMessageStartingWith("SECOND_RECORDING_MAX_DURATION ");
		assertThat(new PrivacyProperties(null, Duration.ofHours(2)).recordingMaxDuration()).hasHours(2);
	}

}
