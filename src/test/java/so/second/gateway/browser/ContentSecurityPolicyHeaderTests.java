package so.second.gateway.browser;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway serves the pages, and the client module, with the policy built from its
 * operator settings. (Same properties as the config route's tests, so the context is
 * shared.)
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"second.analytics.token=phc_ConfigRouteTestToken123", "second.analytics.host=https://eu.i.posthog.com" })
class ContentSecurityPolicyHeaderTests {

	@LocalServerPort
	int port;

	@ParameterizedTest
	@ValueSource(
			strings = { "/settings/usage-data", "/demo", "/demo/w/acme/apps/42", "/analytics/second-analytics.js" })
	void pagesAreServedWithThePolicy(String path) {
		Reply reply = ApiClient.forPort(this.port).get(path);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.header("Content-Security-Policy")).hasValueSatisfying(
				policy -> assertThat(policy).contains("script-src 'self' https://eu-assets.i.posthog.com;")
					.contains("connect-src 'self' https://eu.i.posthog.com;"));
	}

}
