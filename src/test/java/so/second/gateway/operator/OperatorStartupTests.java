package so.second.gateway.operator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import so.second.gateway.GatewayApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole application, started the way an operator starts it: the environment's
 * settings are read once, a bad one stops start-up, a command-line flag turns analytics
 * off.
 */
class OperatorStartupTests {

	static ConfigurableApplicationContext start(String... args) {
		SpringApplication application = new SpringApplication(GatewayApplication.class);
		String[] withPort = java.util.Arrays.copyOf(args, args.length + 1);
		withPort[args.length] = "--server.port=0";
		return application.run(withPort);
	}

	@Test
	void noAnalyticsFlagTurnsAnalyticsOffForTheRun() {
		try (ConfigurableApplicationContext context = start("--second.analytics.token=phc_StartupTestToken0001",
				"--no-analytics")) {
			assertThat(context.getBean(OperatorSettings.class).enabled()).isFalse();
		}
	}

	@Test
	void disableTelemetryFlagTurnsAnalyticsOffForTheRun() {
		try (ConfigurableApplicationContext context = start("--second.analytics.token=phc_StartupTestToken0001",
				"--disable-telemetry")) {
			assertThat(context.getBean(OperatorSettings.class).enabled()).isFalse();
		}
	}

	@Test
	void contractVariablesAreMappedOntoTheOperatorSettings() {
		// Placeholders in application.yml resolve the contract's variable
		// names from any property source; command-line arguments stand in
		// for the process environment here.
		try (ConfigurableApplicationContext context = start("--SECOND_POSTHOG_TOKEN=phc_StartupTestToken0001",
				"--SECOND_POSTHOG_HOST=https://eu.i.posthog.com", "--SECOND_RELEASE_VERSION=3.1.4")) {
			OperatorSettings settings = context.getBean(OperatorSettings.class);
			assertThat(settings.enabled()).isTrue();
			assertThat(settings.token()).isEqualTo("phc_StartupTestToken0001");
			assertThat(settings.host()).isEqualTo("https://eu.i.posthog.com");
			assertThat(settings.release().releaseVersion()).isEqualTo("3.1.4");
		}
	}

	@Test
	void posthogDisabledVariableTurnsAnalyticsOff() {
		try (ConfigurableApplicationContext context = start("--SECOND_POSTHOG_TOKEN=phc_StartupTestToken0001",
				"--SECOND_POSTHOG_DISABLED=true")) {
			assertThat(context.getBean(OperatorSettings.class).enabled()).isFalse();
		}
	}

	@Test
	void telemetryDisabledVariableTurnsAnalyticsOff() {
		try (ConfigurableApplicationContext context = start("--SECOND_POSTHOG_TOKEN=phc_StartupTestToken0001",
				"--SECOND_TELEMETRY_DISABLED=YES")) {
			assertThat(context.getBean(OperatorSettings.class).enabled()).isFalse();
		}
	}

	@Test
	void personalApiKeyStopsStartUpWithAMessageNamingTheVariableButNotTheValue() {
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true));
		try {
			assertThatThrownBy(() -> start("--second.analytics.token=phx_TopSecretPersonalKey99"))
				.hasRootCauseInstanceOf(InvalidOperatorSettingException.class);
		}
		finally {
			System.setOut(original);
		}
		assertThat(captured.toString()).contains("SECOND_POSTHOG_TOKEN").doesNotContain("phx_TopSecretPersonalKey99");
	}

	@Test
	void badHostStopsStartUpNamingTheVariable() {
		assertThatThrownBy(() -> start("--second.analytics.token=phc_StartupTestToken0001",
				"--second.analytics.host=http://posthog.example.com"))
			.rootCause()
			.hasMessageContaining("SECOND_POSTHOG_HOST");
	}

}
