package so.second.gateway.capture;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.RecordingBacklog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One user sending faster than the configured rate gets 429 with {@code Retry-After};
 * other users are not affected.
 */
@Import(RecordingBacklog.InPlaceOfDelivery.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "second.analytics.token=phc_CaptureTestToken0123", "second.capture.rate-per-second=1",
				"second.capture.rate-burst=3" })
class CaptureRateLimitTests {

	@LocalServerPort
	int port;

	@Test
	void userOverTheRateGets429WithRetryAfterWhileOthersGoOn() {
		ApiClient greedy = ApiClient.forPort(this.port);
		greedy.signUpAndOnboard();
		Map<String, Object> event = Map.of("event", "page viewed", "anonymousId", "anon_" + UUID.randomUUID());
		for (int i = 0; i < 3; i++) {
			assertThat(greedy.post("/api/analytics/capture", event).status()).isEqualTo(202);
		}

		Reply limited = greedy.post("/api/analytics/capture", event);

		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.isProblem()).isTrue();
		assertThat(limited.header("Retry-After"))
			.hasValueSatisfying(value -> assertThat(Long.parseLong(value)).isBetween(1L, 2L));

		ApiClient polite = ApiClient.forPort(this.port);
		polite.signUpAndOnboard();
		assertThat(polite.post("/api/analytics/capture", event).status()).isEqualTo(202);
	}

}
