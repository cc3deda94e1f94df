package so.second.gateway.browser;

import org.junit.jupiter.api.Test;

import so.second.gateway.operator.OperatorSettings;
import so.second.gateway.pipeline.ReleaseMetadata;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages' policy allows exactly {@code 'self'}, the origin posthog-js is loaded from
 * and the PostHog host, and nothing of PostHog when analytics are off.
 */
class ContentSecurityPolicyTests {

	private static final ReleaseMetadata NO_RELEASE = new ReleaseMetadata(null, null, null, null, null);

	@Test
	void allowsTheScriptOriginForScriptsAndTheHostForConnections() {
		String header = policy(true, "https://eu.i.posthog.com", "https://eu-assets.i.posthog.com/static/array.js");

		assertThat(header).isEqualTo("default-src 'self'; script-src 'self' https://eu-assets.i.posthog.com; "
				+ "connect-src 'self' https://eu.i.posthog.com; img-src 'self'; style-src 'self'; object-src 'none'; "
				+ "base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
	}

	@Test
	void keepsTheScriptOriginsPortAndDropsItsPath() {
		String header = policy(true, "http://127.0.0.1:4567", "http://127.0.0.1:4567/static/array.js");

		assertThat(header).contains("script-src 'self' http://127.0.0.1:4567;")
			.contains("connect-src 'self' http://127.0.0.1:4567;");
	}

	@Test
	void aHostBelowAProxyPathIsAllowedOnlyBelowThatPath() {
		String header = policy(true, "https://example.com/ingest", "https://cdn.example.com/ph/array.js");

		assertThat(header).contains("script-src 'self' https://cdn.example.com;")
			.contains("connect-src 'self' https://example.com/ingest/;");
	}

	@Test
	void allowsNothingOfPostHogWhenAnalyticsAreOff() {
		String header = policy(false, "https://us.i.posthog.com", "https://us-assets.i.posthog.com/static/array.js");

		assertThat(header).contains("script-src 'self';").contains("connect-src 'self';").doesNotContain("posthog");
	}

	private static String policy(boolean enabled, String host, String scriptUrl) {
		return ContentSecurityPolicy
			.from(new OperatorSettings(enabled, enabled ? null : "off", enabled ? "phc_TestToken1234" : null, host,
					scriptUrl, NO_RELEASE))
			.header();
	}

}
