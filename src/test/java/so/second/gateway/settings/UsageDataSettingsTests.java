package so.second.gateway.settings;

import java.util.LinkedHashMap;
import java.util.List;
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
 * docs/api.md, usage-data settings, through real HTTP: defaults, the coupling rules and
 * the refused changes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class UsageDataSettingsTests {

	private static final String SETTINGS = "/api/settings/usage-data";

	@LocalServerPort
	int port;

	ApiClient browser;

	@BeforeEach
	void signedInUser() {
		this.browser = ApiClient.forPort(this.port);
		this.browser.signUpAndOnboard();
	}

	@Test
	void aUserWhoNeverChangedThemIsAnonymizedWithoutRecording() {
		Reply reply = this.browser.get(SETTINGS);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json()).isEqualTo(Map.of("anonymized", true, "screenRecording", false));
	}

	@Test
	void turningScreenRecordingOnTurnsAnonymizationOff() {
		Reply reply = this.browser.put(SETTINGS, Map.of("screenRecording", true));

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json()).isEqualTo(Map.of("anonymized", false, "screenRecording", true));
		assertThat(this.browser.get(SETTINGS).json()).isEqualTo(reply.json());
	}

	@Test
	void turningAnonymizationOnTurnsScreenRecordingOff() {
		this.browser.put(SETTINGS, Map.of("screenRecording", true));

		Reply reply = this.browser.put(SETTINGS, Map.of("anonymized", true));

		assertThat(reply.json()).isEqualTo(Map.of("anonymized", true, "screenRecording", false));
	}

	@Test
	void turningAnonymizationOffLeavesRecordingOff() {
		Reply reply = this.browser.put(SETTINGS, Map.of("anonymized", false));

		assertThat(reply.json()).isEqualTo(Map.of("anonymized", false, "screenRecording", false));
	}

	@Test
	void turningRecordingOffKeepsAnonymizationOff() {
		this.browser.put(SETTINGS, Map.of("screenRecording", true));

		Reply reply = this.browser.put(SETTINGS, Map.of("screenRecording", false));

		assertThat(reply.json()).isEqualTo(Map.of("anonymized", false, "screenRecording", false));
	}

	@Test
	void bothSwitchesInOneRequestAreApplied() {
		Reply reply = this.browser.put(SETTINGS, Map.of("anonymized", false, "screenRecording", true));

		assertThat(reply.json()).isEqualTo(Map.of("anonymized", false, "screenRecording", true));
	}

	@Test
	void refusedChangesAnswer400NamingTheFieldAndChangeNothing() {
		this.browser.put(SETTINGS, Map.of("screenRecording", true));
		Map<String, Object> nullValue = new LinkedHashMap<>();
		nullValue.put("anonymized", null);
		List<Map<String, Object>> refused = List.of(Map.of("anonymized", true, "screenRecording", true),
				Map.of("anonymized", "no"), Map.of("screenRecording", 1), Map.of("foo", 1),
				Map.of("screenRecording", false, "foo", 1), Map.of(), nullValue);

		for (Map<String, Object> body : refused) {
			Reply reply = this.browser.put(SETTINGS, body);

			assertThat(reply.status()).as("PUT %s", body).isEqualTo(400);
			assertThat(reply.isProblem()).isTrue();
			assertThat(reply.json()).containsKeys("type", "title", "status", "detail");
			assertThat(this.browser.get(SETTINGS).json()).as("after PUT %s", body)
				.isEqualTo(Map.of("anonymized", false, "screenRecording", true));
		}
	}

	@Test
	void refusalsNameWhatWasWrong() {
		assertThat(this.browser.put(SETTINGS, Map.of("anonymized", "no")).json().get("detail").toString())
			.contains("anonymized");
		assertThat(this.browser.put(SETTINGS, Map.of("foo", 1)).json().get("detail").toString()).contains("foo");
		assertThat(this.browser.put(SETTINGS, Map.of("anonymized", true, "screenRecording", true))
			.json()
			.get("detail")
			.toString()).contains("both");
	}

	@Test
	void aBodyThatIsNotJsonIsABadRequest() {
		Reply reply = this.browser.postRaw("/api/settings/usage-data", "application/json", "{".getBytes());

		assertThat(reply.status()).isIn(400, 405);
		assertThat(reply.isProblem()).isTrue();
	}

	@Test
	void settingsAreEachUsersOwn() {
		this.browser.put(SETTINGS, Map.of("screenRecording", true));
		ApiClient other = ApiClient.forPort(this.port);
		other.signUpAndOnboard();

		assertThat(other.get(SETTINGS).json()).isEqualTo(Map.of("anonymized", true, "screenRecording", false));
	}

	@Test
	void aRepeatedSwitchIsABadRequestAndChangesNothing() {
		Reply anonymized = this.browser.sendRaw("PUT", SETTINGS, "application/json",
				"{\"anonymized\":true,\"anonymized\":false}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		Reply recording = this.browser.sendRaw("PUT", SETTINGS, "application/json",
				"{\"screenRecording\":false,\"screenRecording\":true}"
					.getBytes(java.nio.charset.StandardCharsets.UTF_8));

		assertThat(anonymized.status()).isEqualTo(400);
		assertThat(anonymized.isProblem()).isTrue();
		assertThat(anonymized.json().get("detail").toString()).contains("repeats a field");
		assertThat(recording.status()).isEqualTo(400);
		assertThat(this.browser.get(SETTINGS).json()).isEqualTo(Map.of("anonymized", true, "screenRecording", false));
	}

	@Test
	void aBodyOverTheSmallLimitIsTooLargeAndChangesNothing() {
		byte[] body = ("{\"anonymized\":false,\"pad\":\"" + "x".repeat(9000) + "\"}")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);

		Reply reply = this.browser.sendRaw("PUT", SETTINGS, "application/json", body);

		assertThat(reply.status()).isEqualTo(413);
		assertThat(reply.isProblem()).isTrue();
		assertThat(reply.header("X-Content-Type-Options")).contains("nosniff");
		assertThat(this.browser.get(SETTINGS).json()).isEqualTo(Map.of("anonymized", true, "screenRecording", false));
	}

}
