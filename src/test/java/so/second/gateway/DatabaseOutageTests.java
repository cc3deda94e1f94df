package so.second.gateway;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.GatewayInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL going away under a running gateway: capture answers 503 with
 * {@code Retry-After} (never a 500 page), readiness falls, liveness stays up.
 */
class DatabaseOutageTests {

	@Test
	void lostDatabaseTurnsCaptureInto503AndReadinessDown() throws IOException {
		EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
		String url = postgres.getJdbcUrl("postgres", "postgres");
		try (GatewayInstance gateway = GatewayInstance.start(url, "--spring.datasource.username=postgres",
				"--spring.datasource.password=postgres", "--second.analytics.token=phc_OutageTestToken0123",
				"--second.analytics.host=http://127.0.0.1:9", "--second.delivery.drain=true")) {
			ApiClient browser = gateway.newBrowser();
			browser.signUpAndOnboard();
			String token = browser.csrfToken();
			assertThat(gateway.newBrowser().get("/readyz").status()).isEqualTo(200);

			postgres.close();

			Reply capture = browser.send("POST", "/api/analytics/capture",
					Map.of("event", "page viewed", "anonymousId", "anon_" + UUID.randomUUID()),
					Map.of("X-XSRF-TOKEN", token), false);
			assertThat(capture.status()).isEqualTo(503);
			assertThat(capture.isProblem()).isTrue();
			assertThat(capture.header("Retry-After")).isPresent();
			assertThat(gateway.newBrowser().get("/readyz").status()).isEqualTo(503);
			assertThat(gateway.newBrowser().get("/livez").status()).isEqualTo(200);
		}
		finally {
			postgres.close();
		}
	}

}
