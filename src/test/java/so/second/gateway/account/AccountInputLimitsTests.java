package so.second.gateway.account;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile sign-up and login bodies through real HTTP: the small body limit, repeated
 * keys, strict UTF-8 and control characters in account fields.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class AccountInputLimitsTests {

	@LocalServerPort
	int port;

	ApiClient browser;

	@BeforeEach
	void newBrowser() {
		this.browser = ApiClient.forPort(this.port);
	}

	@Test
	void signUpAndLoginOverTheSmallBodyLimitAreTooLarge() {
		byte[] body = ("{\"email\":\"big@example.com\",\"password\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}")
			.getBytes(StandardCharsets.UTF_8);

		Reply signUp = this.browser.postRaw("/api/auth/signup", "application/json", body);
		Reply login = this.browser.postRaw("/api/auth/login", "application/json", body);

		assertThat(signUp.status()).isEqualTo(413);
		assertThat(signUp.isProblem()).isTrue();
		assertThat(signUp.json().get("detail").toString()).contains("8192");
		assertThat(login.status()).isEqualTo(413);
	}

	@Test
	void chunkedSignUpOverTheSmallBodyLimitIsTooLarge() {
		byte[] body = ("{\"email\":\"chunked@example.com\",\"password\":\"" + "x".repeat(64 * 1024) + "\"}")
			.getBytes(StandardCharsets.UTF_8);

		Reply reply = this.browser.postChunked("/api/auth/signup", body);

		assertThat(reply.status()).isEqualTo(413);
		assertThat(reply.isProblem()).isTrue();
	}

	@Test
	void signUpWithARepeatedFieldIsABadRequest() {
		Reply reply = this.browser.postRaw("/api/auth/signup", "application/json",
				"{\"email\":\"twice@example.com\",\"email\":\"other@example.com\",\"password\":\"long-enough\"}"
					.getBytes(StandardCharsets.UTF_8));

		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.isProblem()).isTrue();
	}

	@Test
	void signUpWithOverlongUtf8IsABadRequest() {
		byte[] head = "{\"email\":\"overlong@example.com\",\"password\":\"long-enough\",\"name\":\"a"
			.getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[head.length + 4];
		System.arraycopy(head, 0, body, 0, head.length);
		body[head.length] = (byte) 0xC0;
		body[head.length + 1] = (byte) 0xBC;
		body[head.length + 2] = '"';
		body[head.length + 3] = '}';

		Reply reply = this.browser.postRaw("/api/auth/signup", "application/json", body);

		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().get("detail").toString()).contains("UTF-8");
	}

	@Test
	void controlCharactersInEmailOrNameAreBadRequestsNamingTheField() {
		Reply email = this.browser.post("/api/auth/signup",
				Map.of("email", "nul\u0000@example.com", "password", "long-enough"));
		Reply name = this.browser.post("/api/auth/signup",
				Map.of("email", "nul.name@example.com", "password", "long-enough", "name", "Ada\u0000"));
		Reply escape = this.browser.post("/api/auth/signup",
				Map.of("email", "esc.name@example.com", "password", "long-enough", "name", "Ada\u001b[31m"));
		Reply login = this.browser.post("/api/auth/login", Map.of("email", "nul\u0000@example.com", "password", "x"));

		assertThat(email.status()).isEqualTo(400);
		assertThat(email.json().get("detail").toString()).contains("email");
		assertThat(name.status()).isEqualTo(400);
		assertThat(name.json().get("detail").toString()).contains("name");
		assertThat(escape.status()).isEqualTo(400);
		assertThat(login.status()).isEqualTo(400);
		assertThat(login.json().get("detail").toString()).contains("email");
	}

}
