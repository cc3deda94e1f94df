package so.second.gateway.account;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.ApiClient.TestUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/api.md, accounts and sessions, through real HTTP: sign-up, login, logout, the
 * current user, onboarding, CSRF and the session cookie.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class AccountFlowTests {

	@LocalServerPort
	int port;

	ApiClient browser;

	@BeforeEach
	void newBrowser() {
		this.browser = ApiClient.forPort(this.port);
	}

	@Test
	void csrfRouteHandsOutTheTokenAndSetsTheCookie() {
		Reply reply = this.browser.get("/api/auth/csrf");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json()).containsEntry("headerName", "X-XSRF-TOKEN").containsKey("token");
		assertThat(this.browser.cookie("XSRF-TOKEN")).isPresent();
	}

	@Test
	void signUpAnswersTheNewUserNotYetOnboarded() {
		Reply reply = this.browser.post("/api/auth/signup",
				Map.of("email", "grace.hopper@example.com", "password", "cobol-1959", "name", "Grace"));

		assertThat(reply.status()).isEqualTo(201);
		assertThat(reply.json()).containsEntry("email", "grace.hopper@example.com")
			.containsEntry("name", "Grace")
			.containsEntry("onboarded", false);
		assertThat(reply.json().get("id")).isInstanceOf(String.class);
	}

	@Test
	void signUpWithATakenEmailIsAConflictWhateverItsCase() {
		TestUser user = this.browser.signUp("First");

		Reply reply = this.browser.post("/api/auth/signup",
				Map.of("email", user.email().toUpperCase(), "password", "another-password"));

		assertThat(reply.status()).isEqualTo(409);
		assertThat(reply.isProblem()).isTrue();
		assertThat(reply.json()).containsEntry("status", 409).containsKeys("type", "title", "detail");
	}

	@Test
	void signUpRefusesAnInvalidEmailAndAShortPasswordNamingTheField() {
		Reply badEmail = this.browser.post("/api/auth/signup",
				Map.of("email", "not-an-email", "password", "long-enough"));
		Reply shortPassword = this.browser.post("/api/auth/signup",
				Map.of("email", "short.password@example.com", "password", "seven77"));

		assertThat(badEmail.status()).isEqualTo(400);
		assertThat(badEmail.json().get("detail").toString()).contains("email");
		assertThat(shortPassword.status()).isEqualTo(400);
		assertThat(shortPassword.json().get("detail").toString()).contains("password").contains("8");
	}

	@Test
	void signUpWithoutCsrfHeaderIsForbidden() {
		Reply reply = this.browser.postWithoutCsrf("/api/auth/signup",
				Map.of("email", "no.csrf@example.com", "password", "long-enough"));

		assertThat(reply.status()).isEqualTo(403);
		assertThat(reply.isProblem()).isTrue();
		assertThat(reply.json().get("detail").toString()).contains("CSRF");
	}

	@Test
	void loginAnswersTheUserAndRotatesTheSessionId() {
		TestUser user = this.browser.signUp("Rotating");
		this.browser.get("/api/auth/csrf");
		String before = this.browser.cookie("SESSION").orElse(null);

		Reply reply = this.browser.login(user);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json()).containsEntry("id", user.id()).containsEntry("email", user.email());
		assertThat(this.browser.cookie("SESSION")).isPresent().get().isNotEqualTo(before);
		assertThat(this.browser.get("/api/me").json()).containsEntry("id", user.id());
	}

	@Test
	void loginWithAPreExistingSessionGetsANewSessionId() {
		TestUser user = this.browser.signUp("Fixation");
		assertThat(this.browser.login(user).status()).isEqualTo(200);
		String first = this.browser.cookie("SESSION").orElseThrow();

		assertThat(this.browser.login(user).status()).isEqualTo(200);

		assertThat(this.browser.cookie("SESSION")).isPresent().get().isNotEqualTo(first);
	}

	@Test
	void wrongPasswordAndUnknownEmailGetTheSameUnauthorizedAnswer() {
		TestUser user = this.browser.signUp("Known");

		Reply wrongPassword = ApiClient.forPort(this.port)
			.post("/api/auth/login", Map.of("email", user.email(), "password", user.password() + "x"));
		Reply unknownEmail = ApiClient.forPort(this.port)
			.post("/api/auth/login", Map.of("email", "nobody@example.com", "password", user.password()));

		assertThat(wrongPassword.status()).isEqualTo(401);
		assertThat(unknownEmail.status()).isEqualTo(401);
		assertThat(wrongPassword.body()).isEqualTo(unknownEmail.body());
		assertThat(wrongPassword.isProblem()).isTrue();
	}

	@Test
	void sessionCookieIsHttpOnlyLaxAndNotSecureOverPlainHttp() {
		TestUser user = this.browser.signUp("Cookie");

		Reply reply = this.browser.login(user);

		String cookie = reply.headerValues("Set-Cookie")
			.stream()
			.filter(value -> value.startsWith("SESSION="))
			.findFirst()
			.orElseThrow();
		assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");
	}

	@Test
	void sessionCookieIsSecureWhenATrustedProxySaysTheRequestCameOverHttps() {
		TestUser user = this.browser.signUp("Proxied");

		Reply reply = this.browser.send("POST", "/api/auth/login",
				Map.of("email", user.email(), "password", user.password()), Map.of("X-Forwarded-Proto", "https"), true);

		assertThat(reply.headerValues("Set-Cookie")).filteredOn(value -> value.startsWith("SESSION="))
			.singleElement()
			.asString()
			.contains("Secure");
	}

	@Test
	void meWithoutSessionIsAProblemNotARedirect() {
		Reply reply = this.browser.get("/api/me");

		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.isProblem()).isTrue();
		assertThat(reply.json()).containsEntry("status", 401).containsKeys("type", "title", "detail");
	}

	@Test
	void logoutEndsTheSession() {
		this.browser.signUpAndOnboard();

		Reply reply = this.browser.post("/api/auth/logout", null);

		assertThat(reply.status()).isEqualTo(204);
		assertThat(this.browser.get("/api/me").status()).isEqualTo(401);
	}

	@Test
	void logoutWithoutCsrfHeaderIsRefusedAndKeepsTheSession() {
		this.browser.signUpAndOnboard();

		Reply reply = this.browser.postWithoutCsrf("/api/auth/logout", null);

		assertThat(reply.status()).isEqualTo(403);
		assertThat(this.browser.get("/api/me").status()).isEqualTo(200);
	}

	@Test
	void csrfRouteStillHandsOutAUsableTokenAfterLoginAndLogout() {
		TestUser user = this.browser.signUp("Token");
		this.browser.login(user);
		assertThat(this.browser.post("/api/onboarding/complete", null).status()).isEqualTo(200);

		this.browser.post("/api/auth/logout", null);

		assertThat(this.browser.login(user).status()).isEqualTo(200);
		assertThat(this.browser.get("/api/me").status()).isEqualTo(200);
	}

	@Test
	void onboardingCompletionIsIdempotent() {
		TestUser user = this.browser.signUp("Onboarding");
		this.browser.login(user);

		Reply first = this.browser.post("/api/onboarding/complete", null);
		Reply second = this.browser.post("/api/onboarding/complete", null);

		assertThat(first.status()).isEqualTo(200);
		assertThat(first.json()).containsEntry("onboarded", true);
		assertThat(second.status()).isEqualTo(200);
		assertThat(second.json()).isEqualTo(first.json());
	}

	@Test
	void onboardingNeedsASignedInUser() {
		assertThat(this.browser.post("/api/onboarding/complete", null).status()).isEqualTo(401);
	}

	@Test
	void settingsAndAnalyticsRoutesAreForbiddenBeforeOnboarding() {
		TestUser user = this.browser.signUp("Not onboarded");
		this.browser.login(user);

		for (Reply reply : new Reply[] { this.browser.get("/api/settings/usage-data"),
				this.browser.put("/api/settings/usage-data", Map.of("anonymized", false)),
				this.browser.get("/api/analytics/config"),
				this.browser.post("/api/analytics/capture", Map.of("event", "page viewed")) }) {
			assertThat(reply.status()).isEqualTo(403);
			assertThat(reply.isProblem()).isTrue();
			assertThat(reply.json().get("detail").toString()).contains("onboarding");
		}
	}

	@Test
	void settingsAndAnalyticsRoutesNeedASession() {
		for (Reply reply : new Reply[] { this.browser.get("/api/settings/usage-data"),
				this.browser.put("/api/settings/usage-data", Map.of("anonymized", false)),
				this.browser.get("/api/analytics/config"),
				this.browser.post("/api/analytics/capture", Map.of("event", "page viewed")) }) {
			assertThat(reply.status()).isEqualTo(401);
			assertThat(reply.isProblem()).isTrue();
		}
	}

	@Test
	void sessionRouteAnswersNullForAVisitorWithoutASession() {
		Reply reply = this.browser.get("/api/auth/session");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json()).containsEntry("user", null).hasSize(1);
	}

	@Test
	@SuppressWarnings("unchecked")
	void sessionRouteAnswersTheSignedInUser() {
		TestUser user = this.browser.signUp("Session");
		this.browser.login(user);

		Map<String, Object> answer = (Map<String, Object>) this.browser.get("/api/auth/session").json().get("user");

		assertThat(answer).containsEntry("id", user.id())
			.containsEntry("email", user.email())
			.containsEntry("onboarded", false);
		this.browser.post("/api/auth/logout", null);
		assertThat(this.browser.get("/api/auth/session").json()).containsEntry("user", null);
	}

}
