package so.second.gateway.operator;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorSettingsTests {

	private static final String TOKEN = "phc_OperatorTestToken0123456789";

	static AnalyticsProperties properties(String defaultToken, String token, String host, String scriptUrl,
			String posthogDisabled, String telemetryDisabled) {
		return new AnalyticsProperties(defaultToken, token, host, scriptUrl, posthogDisabled, telemetryDisabled, null,
				null, null, null, null);
	}

	static AnalyticsProperties withToken(String token) {
		return properties(null, token, null, null, null, null);
	}

	@Test
	void tokenWithDefaultsForwardsToPostHogUsCloud() {
		OperatorSettings settings = OperatorSettings.from(withToken(TOKEN), Set.of());

		assertThat(settings.enabled()).isTrue();
		assertThat(settings.token()).isEqualTo(TOKEN);
		assertThat(settings.host()).isEqualTo("https://us.i.posthog.com");
		assertThat(settings.scriptUrl()).isEqualTo("https://us-assets.i.posthog.com/static/array.js");
	}

	@Test
	void configuredTokenOverridesTheBuiltInDefault() {
		OperatorSettings settings = OperatorSettings
			.from(properties("phc_BuiltInDefaultToken000", TOKEN, null, null, null, null), Set.of());

		assertThat(settings.token()).isEqualTo(TOKEN);
	}

	@Test
	void builtInDefaultTokenIsUsedWhenNoneIsConfigured() {
		OperatorSettings settings = OperatorSettings
			.from(properties("phc_BuiltInDefaultToken000", "", null, null, null, null), Set.of());

		assertThat(settings.enabled()).isTrue();
		assertThat(settings.token()).isEqualTo("phc_BuiltInDefaultToken000");
	}

	@Test
	void withoutAnyTokenAnalyticsAreOffAndTheReasonSaysWhy() {
		OperatorSettings settings = OperatorSettings.from(withToken(null), Set.of());

		assertThat(settings.enabled()).isFalse();
		assertThat(settings.disabledReason()).contains("SECOND_POSTHOG_TOKEN");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1", "true", "TRUE", "yes", "Yes", " yes " })
	void posthogDisabledVariableTurnsAnalyticsOff(String value) {
		OperatorSettings settings = OperatorSettings.from(properties(null, TOKEN, null, null, value, null), Set.of());

		assertThat(settings.enabled()).isFalse();
		assertThat(settings.disabledReason()).contains("SECOND_POSTHOG_DISABLED");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1", "true", "yEs" })
	void telemetryDisabledVariableTurnsAnalyticsOff(String value) {
		OperatorSettings settings = OperatorSettings.from(properties(null, TOKEN, null, null, null, value), Set.of());

		assertThat(settings.enabled()).isFalse();
		assertThat(settings.disabledReason()).contains("SECOND_TELEMETRY_DISABLED");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "false", "no", "", "off" })
	void otherValuesOfTheDisableVariablesLeaveAnalyticsOn(String value) {
		OperatorSettings settings = OperatorSettings.from(properties(null, TOKEN, null, null, value, value), Set.of());

		assertThat(settings.enabled()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "disable-telemetry", "no-analytics" })
	void commandLineFlagTurnsAnalyticsOffForTheRun(String flag) {
		OperatorSettings settings = OperatorSettings.from(withToken(TOKEN), Set.of(flag));

		assertThat(settings.enabled()).isFalse();
		assertThat(settings.disabledReason()).contains("--" + flag);
	}

	@Test
	void personalApiKeyStopsStartWithoutEchoingIt() {
		String secret = "phx_PersonalSecretKey0123456789";

		assertThatThrownBy(() -> OperatorSettings.from(withToken(secret), Set.of()))
			.isInstanceOf(InvalidOperatorSettingException.class)
			.hasMessageContaining("SECOND_POSTHOG_TOKEN")
			.hasMessageContaining("personal API key")
			.hasMessageNotContaining(secret);
	}

	@ParameterizedTest
	@ValueSource(strings = { "hello", "phc_", "phc_!", "phc_with spaces inside it", "sk-live-0123456789",
			"PHC_UPPER_PREFIX" })
	void tokenOfTheWrongShapeStopsStartWithoutEchoingIt(String token) {
		assertThatThrownBy(() -> OperatorSettings.from(withToken(token), Set.of()))
			.isInstanceOf(InvalidOperatorSettingException.class)
			.hasMessageContaining("SECOND_POSTHOG_TOKEN")
			.hasMessageNotContaining(token.length() > 5 ? token : "\u0000");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://eu.i.posthog.com", "ftp://eu.i.posthog.com", "eu.i.posthog.com", "not a url",
			"https://", "https://user:pw@eu.i.posthog.com", "http://10.0.0.1:8000", "http://posthog.internal" })
	void hostThatIsNotHttpsOrLoopbackHttpStopsStart(String host) {
		assertThatThrownBy(() -> OperatorSettings.from(properties(null, TOKEN, host, null, null, null), Set.of()))
			.isInstanceOf(InvalidOperatorSettingException.class)
			.hasMessageContaining("SECOND_POSTHOG_HOST");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://eu.i.posthog.com", "https://posthog.example.com/", "http://127.0.0.1:8000",
			"http://localhost:9000", "http://[::1]:9000" })
	void httpsHostsAndLoopbackHttpAreAccepted(String host) {
		OperatorSettings settings = OperatorSettings.from(properties(null, TOKEN, host, null, null, null), Set.of());

		assertThat(settings.host()).doesNotEndWith("/");
	}

	@Test
	void scriptUrlFollowsPostHogsSnippetForItsCloudHosts() {
		assertThat(OperatorSettings.defaultScriptUrl("https://eu.i.posthog.com"))
			.isEqualTo("https://eu-assets.i.posthog.com/static/array.js");
		assertThat(OperatorSettings.defaultScriptUrl("https://posthog.example.com"))
			.isEqualTo("https://posthog.example.com/static/array.js");
	}

	@Test
	void configuredScriptUrlWinsAndFollowsTheHostRules() {
		OperatorSettings settings = OperatorSettings
			.from(properties(null, TOKEN, null, "https://cdn.example.com/ph/array.js", null, null), Set.of());

		assertThat(settings.scriptUrl()).isEqualTo("https://cdn.example.com/ph/array.js");
		assertThatThrownBy(() -> OperatorSettings
			.from(properties(null, TOKEN, null, "http://cdn.example.com/array.js", null, null), Set.of()))
			.hasMessageContaining("SECOND_POSTHOG_SCRIPT_URL");
	}

	@Test
	void releaseMetadataIsNullWhereUnset() {
		OperatorSettings settings = OperatorSettings.from(
				new AnalyticsProperties(null, TOKEN, null, null, null, null, "1.2.3", "", null, "0.9", null), Set.of());

		assertThat(settings.release())
			.isEqualTo(new so.second.gateway.pipeline.ReleaseMetadata("1.2.3", null, null, "0.9", null));
	}

}
