package so.second.gateway.capture;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import so.second.gateway.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With analytics off for the deployment, capture answers 204 and nothing is stored or
 * sent, not even an {@code $identify}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "second.analytics.token=phc_CaptureTestToken0123", "second.analytics.telemetry-disabled=1" })
class CaptureWhenDisabledTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void captureAnswersNoContentAndStoresNothing() {
		ApiClient browser = ApiClient.forPort(this.port);
		String userId = browser.signUpAndOnboard().id();
		browser.put("/api/settings/usage-data", Map.of("anonymized", false));

		ApiClient.Reply reply = browser.post("/api/analytics/capture",
				Map.of("event", "page viewed", "anonymousId", "anon_" + UUID.randomUUID()));

		assertThat(reply.status()).isEqualTo(204);
		assertThat(
				this.jdbc.sql("SELECT count(*) FROM delivery_backlog, unnest(payloads) AS payload WHERE payload LIKE ?")
					.param("%" + userId + "%")
					.query(Long.class)
					.single())
			.isZero();
	}

}
