package so.second.gateway.capture;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.RecordingBacklog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capture is served ahead of the security chain (docs/architecture.md, "Capture's hot
 * path"); these pin that it answers as the chain answers a route behind it,
 * {@code PUT /api/settings/usage-data}: the same checks in the same order, the same
 * problems, the same headers.
 */
@Import(RecordingBacklog.InPlaceOfDelivery.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "second.analytics.token=phc_CaptureSecurityTests01", "second.capture.rate-burst=1000" })
class CaptureSecurityTests {

	static final String CAPTURE = "/api/analytics/capture";

	static final String CHAIN_ROUTE = "/api/settings/usage-data";

	/** What Spring Security and the CSP filter put on every API answer. */
	static final List<String> SECURITY_HEADERS = List.of("X-Content-Type-Options", "X-XSS-Protection", "Cache-Control",
			"Pragma", "Expires", "X-Frame-Options", "Content-Security-Policy");

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	Map<String, Object> event() {
		return Map.of("event", "chat initiated", "anonymousId", "anon_" + UUID.randomUUID());
	}

	Reply capture(ApiClient client, boolean csrf) {
		return client.send("POST", CAPTURE, event(), Map.of(), csrf);
	}

	Reply chainRoute(ApiClient client, boolean csrf) {
		return client.send("PUT", CHAIN_ROUTE, Map.of("anonymized", true), Map.of(), csrf);
	}

	@Test
	void anAcceptedEventCarriesTheSameSecurityHeadersAsARouteBehindTheChain() {
		ApiClient browser = ApiClient.forPort(this.port);
		browser.signUpAndOnboard();

		Reply captured = capture(browser, true);
		Reply settings = chainRoute(browser, true);

		assertThat(captured.status()).isEqualTo(202);
		assertThat(settings.status()).isEqualTo(200);
		for (String header : SECURITY_HEADERS) {
			assertThat(captured.headerValues(header)).as(header).isNotEmpty().isEqualTo(settings.headerValues(header));
		}
	}

	@Test
	void withoutTheCsrfHeaderBothRefuseWithTheSameProblemBeforeLookingAtTheSession() {
		ApiClient stranger = ApiClient.forPort(this.port);
		stranger.csrfToken();

		Reply captured = capture(stranger, false);
		Reply settings = chainRoute(stranger, false);

		assertThat(captured.status()).isEqualTo(403);
		assertThat(captured.json()).isEqualTo(settings.json()).containsEntry("type", "https://second.so/problems/csrf");
	}

	@Test
	void withoutTheCsrfCookieBothRefuseAndHandOutANewToken() {
		ApiClient fresh = ApiClient.forPort(this.port);

		Reply captured = fresh.send("POST", CAPTURE, event(), Map.of("X-XSRF-TOKEN", "made-up"), false);

		assertThat(captured.status()).isEqualTo(403);
		assertThat(captured.json()).containsEntry("type", "https://second.so/problems/csrf");
		assertThat(fresh.cookie("XSRF-TOKEN")).isPresent().get().isNotEqualTo("made-up");
	}

	@Test
	void withAValidTokenButNoSessionBothAnswer401() {
		ApiClient stranger = ApiClient.forPort(this.port);

		Reply captured = capture(stranger, true);
		Reply settings = chainRoute(stranger, true);

		assertThat(captured.status()).isEqualTo(401);
		assertThat(captured.json()).isEqualTo(settings.json());
		// (the chain's own 401 sets Cache-Control before its header writer runs, which
		// then leaves out Pragma and Expires; capture's has them too)
		for (String header : List.of("X-Content-Type-Options", "X-XSS-Protection", "Cache-Control", "X-Frame-Options",
				"Content-Security-Policy")) {
			assertThat(captured.headerValues(header)).as(header).isEqualTo(settings.headerValues(header));
		}
	}

	@Test
	void aSignedInUserWhoHasNotOnboardedIsRefusedAsByTheChain() {
		ApiClient newcomer = ApiClient.forPort(this.port);
		newcomer.login(newcomer.signUp("Grace Hopper"));

		Reply captured = capture(newcomer, true);
		Reply settings = chainRoute(newcomer, true);

		assertThat(captured.status()).isEqualTo(403);
		assertThat(captured.json()).isEqualTo(settings.json())
			.containsEntry("type", "https://second.so/problems/onboarding-required");
	}

	@Test
	void afterLogoutTheSessionNoLongerCaptures() {
		ApiClient browser = ApiClient.forPort(this.port);
		browser.signUpAndOnboard();
		assertThat(capture(browser, true).status()).isEqualTo(202);

		assertThat(browser.post("/api/auth/logout", null).status()).isEqualTo(204);

		assertThat(capture(browser, true).status()).isEqualTo(401);
	}

	@Test
	void anotherMethodIsRefusedAfterTheSameChecksWith405AndAllow() {
		ApiClient stranger = ApiClient.forPort(this.port);
		assertThat(stranger.get(CAPTURE).status()).isEqualTo(401);

		ApiClient browser = ApiClient.forPort(this.port);
		browser.signUpAndOnboard();
		Reply reply = browser.get(CAPTURE);

		assertThat(reply.status()).isEqualTo(405);
		assertThat(reply.isProblem()).isTrue();
		assertThat(reply.header("Allow")).hasValue("POST");
		assertThat(browser.send("DELETE", CAPTURE, null, Map.of(), false).json()).containsEntry("type",
				"https://second.so/problems/csrf");
	}

	@Test
	void aPathTheFirewallRefusesIsRefusedAsOnEveryRoute() {
		ApiClient browser = ApiClient.forPort(this.port);
		browser.signUpAndOnboard();

		Reply reply = browser.send("POST", CAPTURE + ";jsessionid=x", event(), Map.of(), true);

		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json()).containsEntry("type", "https://second.so/problems/rejected-request");
	}

	@Test
	void theRequestMetricNamesTheRouteAsSpringMvcWould() {
		ApiClient browser = ApiClient.forPort(this.port);
		browser.signUpAndOnboard();
		assertThat(capture(browser, true).status()).isEqualTo(202);

		String metrics = ApiClient.forPort(this.managementPort).get("/actuator/prometheus").body();

		assertThat(metrics).containsPattern(
				"http_server_requests_seconds_count\\{[^}]*status=\"202\"[^}]*uri=\"/api/analytics/capture\"[^}]*\\}");
	}

	@Test
	void requestsAreTimedWithoutALongTaskTimerEach() {
		ApiClient browser = ApiClient.forPort(this.port);
		browser.signUpAndOnboard();
		assertThat(capture(browser, true).status()).isEqualTo(202);

		String metrics = ApiClient.forPort(this.managementPort).get("/actuator/prometheus").body();

		assertThat(metrics).contains("http_server_requests_seconds_count")
			.doesNotContain("http_server_requests_active");
	}

}
