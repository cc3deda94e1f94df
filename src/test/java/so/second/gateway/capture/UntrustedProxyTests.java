package so.second.gateway.capture;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.RecordingBacklog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code X-Forwarded-For} from a peer that is not a configured trusted proxy is ignored:
 * a client cannot choose the {@code $ip} PostHog sees.
 */
@Import(RecordingBacklog.InPlaceOfDelivery.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"second.analytics.token=phc_CaptureTestToken0123", "server.tomcat.remoteip.internal-proxies=10\\.9\\.8\\.7" })
class UntrustedProxyTests {

	@LocalServerPort
	int port;

	@Autowired
	RecordingBacklog backlog;

	@Test
	void forwardedForFromAnUntrustedPeerIsIgnored() {
		ApiClient browser = ApiClient.forPort(this.port);
		browser.signUpAndOnboard();
		browser.put("/api/settings/usage-data", Map.of("anonymized", false));

		browser.send("POST", "/api/analytics/capture", Map.of("event", "app displayed"),
				Map.of("X-Forwarded-For", "203.0.113.7"), true);

		assertThat(this.backlog.events()).filteredOn(event -> event.event().equals("app displayed"))
			.singleElement()
			.satisfies(event -> assertThat(event.properties()).containsEntry("$ip", "127.0.0.1"));
	}

}
