package so.second.gateway.account;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import so.second.gateway.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both ways a browser can learn the CSRF token work: the {@code XSRF-TOKEN} cookie, and
 * the {@code token} field of {@code GET /api/auth/csrf}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CsrfTokenTests {

	@LocalServerPort
	int port;

	@Test
	void tokenFromTheCsrfRouteBodyIsAcceptedInTheHeader() {
		ApiClient browser = ApiClient.forPort(this.port);
		String token = (String) browser.get("/api/auth/csrf").json().get("token");

		ApiClient.Reply reply = browser.send("POST", "/api/auth/signup",
				Map.of("email", "body.token." + System.nanoTime() + "@example.com", "password", "long-enough-1"),
				Map.of("X-XSRF-TOKEN", token), false);

		assertThat(reply.status()).isEqualTo(201);
	}

	@Test
	void tokenFromTheCookieIsAcceptedInTheHeader() {
		ApiClient browser = ApiClient.forPort(this.port);

		ApiClient.Reply reply = browser.post("/api/auth/signup",
				Map.of("email", "cookie.token." + System.nanoTime() + "@example.com", "password", "long-enough-1"));

		assertThat(reply.status()).isEqualTo(201);
	}

}
