package so.second.gateway.web;

import java.io.IOException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import so.second.gateway.support.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests HTTP clients would normalise or never send, written to a raw socket: whoever
 * refuses them (Spring Security's firewall, Tomcat's connector, the error route) answers
 * in the API's one error shape, problem JSON with its security headers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ErrorShapeTests {

	@LocalServerPort
	int port;

	@ParameterizedTest(name = "{0} → {1}")
	@CsvSource(delimiter = '|', textBlock = """
			GET /api/me;jsessionid=x HTTP/1.1           | 400
			GET /api/%2e%2e/api/me HTTP/1.1             | 400
			GET //api/me HTTP/1.1                       | 400
			GET /api/me%0a HTTP/1.1                     | 400
			GET /api/me%5c HTTP/1.1                     | 400
			FOO /api/me HTTP/1.1                        | 405
			TRACE /api/me HTTP/1.1                      | 405
			GET /api/{x} HTTP/1.1                       | 400
			GET /api/%00 HTTP/1.1                       | 400
			GET /error HTTP/1.1                         | 404
			GET /error?status=500 HTTP/1.1              | 404
			""")
	void refusedRequestLineIsAProblemWithTheSecurityHeaders(String requestLine, int status) throws IOException {
		assertProblem(RawHttp.exchange(this.port, requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
				status);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			a 20 KB header        | X-Big: %s
			Content-Length: abc   | Content-Length: abc
			two Content-Lengths   | Content-Length: 2\\r\\nContent-Length: 3
			""")
	void refusedHeadersAreAProblemWithTheSecurityHeaders(String what, String header) throws IOException {
		String line = header.replace("\\r\\n", "\r\n").replace("%s", "x".repeat(20 * 1024));
		String answer = RawHttp.exchange(this.port, "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\n" + line
				+ "\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{}");

		assertProblem(answer, 400);
	}

	private static void assertProblem(String answer, int status) {
		assertThat(RawHttp.status(answer)).as(answer).isEqualTo(status);
		assertThat(RawHttp.header(answer, "Content-Type")).as(answer).startsWith("application/problem+json");
		assertThat(RawHttp.header(answer, "X-Content-Type-Options")).as(answer).isEqualTo("nosniff");
		assertThat(RawHttp.header(answer, "Cache-Control")).as(answer).contains("no-store");
		assertThat(RawHttp.body(answer)).as(answer)
			.contains("\"status\":" + status)
			.contains("\"type\"")
			.contains("\"detail\"")
			.doesNotContain("<html")
			.doesNotContain("Tomcat");
	}

}
