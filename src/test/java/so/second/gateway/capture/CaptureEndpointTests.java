package so.second.gateway.capture;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import so.second.gateway.delivery.BacklogFullException;
import so.second.gateway.delivery.BacklogUnavailableException;
import so.second.gateway.pipeline.OutgoingEvent;
import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.ApiClient.TestUser;
import so.second.gateway.support.RecordingBacklog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/api.md, capture and what reaches PostHog, through the real endpoint, asserting on
 * exactly what capture hands to delivery.
 */
@Import(RecordingBacklog.InPlaceOfDelivery.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "second.analytics.token=phc_CaptureTestToken0123", "second.analytics.release-version=2.4.1",
				"second.analytics.release-package=second-web", "second.capture.rate-burst=1000" })
class CaptureEndpointTests {

	static final String CAPTURE = "/api/analytics/capture";

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	RecordingBacklog backlog;

	@Autowired
	JsonMapper json;

	ApiClient browser;

	TestUser user;

	String anonymousId;

	@BeforeEach
	void signedInAnonymizedUser() {
		this.backlog.clear();
		this.browser = ApiClient.forPort(this.port);
		this.user = this.browser.signUpAndOnboard();
		this.anonymousId = "anon_" + UUID.randomUUID();
	}

	Map<String, Object> event(String name, Map<String, Object> properties) {
		Map<String, Object> event = new HashMap<>();
		event.put("event", name);
		event.put("anonymousId", this.anonymousId);
		event.put("properties", properties);
		return event;
	}

	OutgoingEvent onlyEventHandedToDelivery() {
		assertThat(this.backlog.events()).hasSize(1);
		return this.backlog.events().get(0);
	}

	@Test
	void anonymizedEventIsAcceptedWithTheAnonymousIdAndNoPersonProfile() {
		Reply reply = this.browser.post(CAPTURE,
				event("page viewed",
						Map.of("surface", "app_chat", "route_shape",
								"/w/acme/apps/5f0c7a1e-8a4b-4c1e-9a53-6c1f2d3e4b5a/runs/812?x=1", "viewport_width",
								1280, "viewport_height", 800)));

		assertThat(reply.status()).isEqualTo(202);
		assertThat(reply.json()).isEqualTo(Map.of("accepted", 1, "rejected", List.of()));
		OutgoingEvent sent = onlyEventHandedToDelivery();
		assertThat(sent.event()).isEqualTo("page viewed");
		assertThat(sent.distinctId()).isEqualTo(this.anonymousId);
		assertThat(sent.properties()).containsEntry("$process_person_profile", false)
			.containsEntry("$geoip_disable", true)
			.containsEntry("surface", "app_chat")
			.containsEntry("route_shape", "/w/:workspace/apps/:objectId/runs/:runId")
			.containsEntry("viewport_width", 1280)
			.containsEntry("viewport_height", 800)
			.containsEntry("$lib", "second-analytics-gateway")
			.containsKey("$lib_version")
			.doesNotContainKeys("$ip", "$set", "$set_once", "$anon_distinct_id");
	}

	@Test
	void everyEventCarriesTheFiveReleasePropertiesWithNullWhereUnset() {
		this.browser.post(CAPTURE, event("chat initiated", Map.of()));

		assertThat(onlyEventHandedToDelivery().properties()).containsEntry("release_version", "2.4.1")
			.containsEntry("release_package", "second-web")
			.containsEntry("release_runtime", null)
			.containsEntry("cli_launcher_version", null)
			.containsEntry("cli_launcher_package", null);
	}

	@Test
	void anonymizedEventLosesIdentifiersButKeepsBuildCountsAndOutcomes() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("workspace_id", "ws_123");
		properties.put("app_name", "Payroll");
		properties.put("prompt", "build me a payroll app for " + this.user.email());
		properties.put("message_count", 4);
		properties.put("tool_call_count", 7);
		properties.put("attachment_count", 1);
		properties.put("file_count", 12);
		properties.put("duration_ms", 5300);
		properties.put("runtime_id", "claude-code");
		properties.put("model", "claude-sonnet-4-5");
		properties.put("failure_phase", "deploy");
		properties.put("error_code", "E_TIMEOUT");

		this.browser.post(CAPTURE, event("build failed", properties));

		assertThat(onlyEventHandedToDelivery().properties()).doesNotContainKeys("workspace_id", "app_name", "prompt")
			.containsEntry("message_count", 4)
			.containsEntry("tool_call_count", 7)
			.containsEntry("attachment_count", 1)
			.containsEntry("file_count", 12)
			.containsEntry("duration_ms", 5300)
			.containsEntry("runtime_id", "claude-code")
			.containsEntry("model", "claude-sonnet-4-5")
			.containsEntry("failure_phase", "deploy")
			.containsEntry("error_code", "E_TIMEOUT");
	}

	@Test
	void anonymizedEventNeverCarriesTheUsersEmailIdOrAnyUrlOrUuid() {
		this.browser.post(CAPTURE,
				event("sidebar clicked", Map.of("item", this.user.email(), "note", "see https://example.com/x", "other",
						this.user.id(), "nested", Map.of("deep", UUID.randomUUID().toString()))));

		String serialized = onlyEventHandedToDelivery().properties().toString();
		assertThat(serialized).doesNotContain(this.user.email())
			.doesNotContain(this.user.id())
			.doesNotContain("https://");
	}

	@Test
	void clientCannotChooseTheDistinctIdOrSetPostHogProperties() {
		Map<String, Object> event = event("page viewed", Map.of("distinct_id", "someone-else", "$set",
				Map.of("email", "victim@example.com"), "$ip", "1.2.3.4", "$process_person_profile", true));
		event.put("distinct_id", "someone-else");

		this.browser.post(CAPTURE, event);

		OutgoingEvent sent = onlyEventHandedToDelivery();
		assertThat(sent.distinctId()).isEqualTo(this.anonymousId);
		assertThat(sent.properties()).doesNotContainKeys("distinct_id", "$set", "$ip")
			.containsEntry("$process_person_profile", false);
	}

	@Test
	void nonAnonymizedEventUsesTheUserIdAndKeepsSanitizedIdentifiers() {
		this.browser.put("/api/settings/usage-data", Map.of("anonymized", false));
		this.backlog.clear();

		Reply reply = this.browser.post(CAPTURE, Map.of("event", "app displayed", "properties",
				Map.of("workspace_id", "ws_123", "app_name", "Payroll", "$lib", "evil")));

		assertThat(reply.status()).isEqualTo(202);
		OutgoingEvent sent = onlyEventHandedToDelivery();
		assertThat(sent.distinctId()).isEqualTo(this.user.id());
		assertThat(sent.properties()).containsEntry("workspace_id", "ws_123")
			.containsEntry("app_name", "Payroll")
			.containsEntry("$lib", "second-analytics-gateway")
			.containsKey("$ip")
			.doesNotContainKey("$process_person_profile");
	}

	@Test
	void nonAnonymizedEventTakesTheClientAddressFromATrustedProxysForwardedFor() {
		this.browser.put("/api/settings/usage-data", Map.of("anonymized", false));
		this.backlog.clear();

		this.browser.send("POST", CAPTURE, Map.of("event", "app displayed"), Map.of("X-Forwarded-For", "203.0.113.7"),
				true);

		assertThat(onlyEventHandedToDelivery().properties()).containsEntry("$ip", "203.0.113.7");
	}

	@Test
	void anonymizedEventCarriesNoClientAddressEvenFromATrustedProxy() {
		this.browser.send("POST", CAPTURE, event("page viewed", Map.of()), Map.of("X-Forwarded-For", "203.0.113.7"),
				true);

		assertThat(onlyEventHandedToDelivery().properties()).doesNotContainKey("$ip")
			.containsEntry("$geoip_disable", true);
	}

	@Test
	void sameUuidFromTwoUsersIsTwoEvents() {
		String uuid = UUID.randomUUID().toString();
		Map<String, Object> mine = event("approval acted", Map.of());
		mine.put("uuid", uuid);
		ApiClient other = ApiClient.forPort(this.port);
		other.signUpAndOnboard();
		Map<String, Object> theirs = new HashMap<>(mine);
		theirs.put("anonymousId", "anon_" + UUID.randomUUID());

		assertThat(this.browser.post(CAPTURE, mine).status()).isEqualTo(202);
		assertThat(other.post(CAPTURE, theirs).status()).isEqualTo(202);

		assertThat(this.backlog.events()).hasSize(2).allSatisfy(sent -> assertThat(sent.uuid()).hasToString(uuid));
	}

	@Test
	void switchingAnonymizationOffSendsOneIdentifyWithEmailAndNameAndNoAlias() {
		this.browser.put("/api/settings/usage-data", Map.of("anonymized", false));
		this.browser.put("/api/settings/usage-data", Map.of("screenRecording", true));

		List<OutgoingEvent> identifies = this.backlog.events()
			.stream()
			.filter(event -> event.event().equals("$identify"))
			.toList();
		assertThat(identifies).singleElement().satisfies(identify -> {
			assertThat(identify.distinctId()).isEqualTo(this.user.id());
			assertThat(identify.properties())
				.containsEntry("$set", Map.of("email", this.user.email(), "name", this.user.name()))
				.doesNotContainKey("$anon_distinct_id");
		});
		assertThat(this.backlog.events()).noneMatch(event -> event.event().equals("$create_alias"));
	}

	@Test
	void loginWhileNonAnonymizedSendsIdentifyAgainButNotWhileAnonymized() {
		this.browser.login(this.user);
		assertThat(this.backlog.events()).isEmpty();

		this.browser.put("/api/settings/usage-data", Map.of("anonymized", false));
		this.backlog.clear();
		this.browser.login(this.user);

		assertThat(onlyEventHandedToDelivery().event()).isEqualTo("$identify");
	}

	@Test
	void globalPrivacyControlAnonymizesANonAnonymizedUserAndSendsNoIdentify() {
		this.browser.withHeader("Sec-GPC", "1");
		this.browser.put("/api/settings/usage-data", Map.of("anonymized", false));
		assertThat(this.backlog.events()).isEmpty();

		Reply reply = this.browser.post(CAPTURE, event("page viewed", Map.of("workspace_id", "ws_1")));

		assertThat(reply.status()).isEqualTo(202);
		OutgoingEvent sent = onlyEventHandedToDelivery();
		assertThat(sent.distinctId()).isEqualTo(this.anonymousId);
		assertThat(sent.properties()).containsEntry("$process_person_profile", false).doesNotContainKey("workspace_id");
	}

	@Test
	void unknownEventNameIsRefusedNamingIt() {
		Reply reply = this.browser.post(CAPTURE, event("user deleted everything", Map.of()));

		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.isProblem()).isTrue();
		assertThat(reply.json().get("detail").toString()).contains("user deleted everything");
		assertThat(this.backlog.events()).isEmpty();
	}

	@Test
	void eventNamesAreMatchedExactly() {
		assertThat(this.browser.post(CAPTURE, event("Page Viewed", Map.of())).status()).isEqualTo(400);
		assertThat(this.browser.post(CAPTURE, event("page viewed ", Map.of())).status()).isEqualTo(400);
	}

	@Test
	void anAnswerWithNothingRejectedIsTheMappersJsonOfIt() {
		Map<String, Object> batch = Map.of("batch",
				List.of(event("page viewed", Map.of()), event("build completed", Map.of())));

		Reply one = this.browser.post(CAPTURE, event("page viewed", Map.of()));
		Reply two = this.browser.post(CAPTURE, batch);

		assertThat(one.body()).isEqualTo(this.json.writeValueAsString(new CaptureEndpoint.CaptureAnswer(1, List.of())));
		assertThat(two.body()).isEqualTo(this.json.writeValueAsString(new CaptureEndpoint.CaptureAnswer(2, List.of())));
		assertThat(one.headers().get("content-length")).containsExactly(Integer.toString(one.body().length()));
		assertThat(one.headers().get("content-type")).containsExactly("application/json");
	}

	@Test
	void batchAcceptsTheValidEventsAndListsEachRejectedIndex() {
		Reply reply = this.browser.post(CAPTURE, Map.of("batch", List.of(event("page viewed", Map.of()),
				event("nope", Map.of()), event("build completed", Map.of()), "not an object")));

		assertThat(reply.status()).isEqualTo(202);
		assertThat(reply.json()).containsEntry("accepted", 2);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> rejected = (List<Map<String, Object>>) reply.json().get("rejected");
		assertThat(rejected).extracting(entry -> entry.get("index")).containsExactly(1, 3);
		assertThat(rejected.get(0).get("reason").toString()).contains("nope");
		assertThat(this.backlog.events()).extracting(OutgoingEvent::event)
			.containsExactly("page viewed", "build completed");
	}

	@Test
	void batchWhereEveryEventIsRejectedIsABadRequest() {
		Reply reply = this.browser.post(CAPTURE,
				Map.of("batch", List.of(event("nope", Map.of()), event("nah", Map.of()))));

		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.isProblem()).isTrue();
		assertThat(reply.json()).containsKey("rejected");
		assertThat(this.backlog.events()).isEmpty();
	}

	@Test
	void anonymousIdOrUuidCarryingTheUsersOwnIdIsABadRequestNamingTheFieldOrItsIndex() {
		Map<String, Object> ownIdAsUuid = event("page viewed", Map.of());
		ownIdAsUuid.put("uuid", this.user.id());

		Reply single = this.browser.post(CAPTURE, ownIdAsUuid);

		assertThat(single.status()).isEqualTo(400);
		assertThat(single.isProblem()).isTrue();
		assertThat(single.body()).contains("uuid must not carry the user's own id");

		Map<String, Object> ownIdAsAnonymousId = event("page viewed", Map.of());
		ownIdAsAnonymousId.put("anonymousId", "anon_" + this.user.id());
		Reply batch = this.browser.post(CAPTURE,
				Map.of("batch", List.of(event("page viewed", Map.of()), ownIdAsAnonymousId)));

		assertThat(batch.status()).isEqualTo(202);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> rejected = (List<Map<String, Object>>) batch.json().get("rejected");
		assertThat(rejected).extracting(entry -> entry.get("index")).containsExactly(1);
		assertThat(rejected.get(0).get("reason").toString()).startsWith("anonymousId must not carry the user's own id");
		assertThat(this.backlog.events()).hasSize(1);
	}

	@Test
	void batchOfMoreThanFiftyEventsIsRefusedWhole() {
		List<Map<String, Object>> events = new ArrayList<>();
		for (int i = 0; i < 51; i++) {
			events.add(event("page viewed", Map.of()));
		}

		Reply reply = this.browser.post(CAPTURE, Map.of("batch", events));

		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.json().get("detail").toString()).contains("50");
		assertThat(this.backlog.events()).isEmpty();
	}

	@Test
	void missingOrMalformedAnonymousIdIsRefusedWhileAnonymized() {
		Map<String, Object> missing = event("page viewed", Map.of());
		missing.remove("anonymousId");
		Map<String, Object> upperCase = event("page viewed", Map.of());
		upperCase.put("anonymousId", "anon_" + UUID.randomUUID().toString().toUpperCase());
		Map<String, Object> notAnon = event("page viewed", Map.of());
		notAnon.put("anonymousId", this.user.id());

		for (Map<String, Object> event : List.of(missing, upperCase, notAnon)) {
			Reply reply = this.browser.post(CAPTURE, event);
			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.json().get("detail").toString()).contains("anonymousId");
		}
		assertThat(this.backlog.events()).isEmpty();
	}

	@Test
	void anonymousIdIsIgnoredWhenNotAnonymized() {
		this.browser.put("/api/settings/usage-data", Map.of("anonymized", false));
		this.backlog.clear();
		Map<String, Object> event = event("page viewed", Map.of());
		event.put("anonymousId", "garbage");

		assertThat(this.browser.post(CAPTURE, event).status()).isEqualTo(202);
		assertThat(onlyEventHandedToDelivery().distinctId()).isEqualTo(this.user.id());
	}

	@Test
	void retriedEventWithTheSameUuidIsAcceptedOnceAndKeepsThatUuid() {
		String uuid = UUID.randomUUID().toString();
		Map<String, Object> event = event("approval acted", Map.of());
		event.put("uuid", uuid);

		assertThat(this.browser.post(CAPTURE, event).status()).isEqualTo(202);
		assertThat(this.browser.post(CAPTURE, event).status()).isEqualTo(202);

		assertThat(onlyEventHandedToDelivery().uuid()).hasToString(uuid);
	}

	@Test
	void serverAssignsAUuidWhenTheClientSentNone() {
		this.browser.post(CAPTURE, event("page viewed", Map.of()));
		this.browser.post(CAPTURE, event("page viewed", Map.of()));

		assertThat(this.backlog.events()).extracting(OutgoingEvent::uuid).doesNotHaveDuplicates().doesNotContainNull();
	}

	@Test
	void recentTimestampIsKeptAndAnOldOrFutureOneReplacedByTheReceiveTime() {
		Instant recent = Instant.now().minus(Duration.ofHours(2));
		Map<String, Object> kept = event("page viewed", Map.of());
		kept.put("timestamp", recent.toString());
		Map<String, Object> old = event("page viewed", Map.of());
		old.put("timestamp", Instant.now().minus(Duration.ofDays(3)).toString());
		Map<String, Object> future = event("page viewed", Map.of());
		future.put("timestamp", Instant.now().plus(Duration.ofMinutes(10)).toString());
		Instant before = Instant.now();

		this.browser.post(CAPTURE, Map.of("batch", List.of(kept, old, future)));

		List<OutgoingEvent> sent = this.backlog.events();
		assertThat(sent.get(0).timestamp()).isEqualTo(recent);
		assertThat(sent.get(1).timestamp()).isBetween(before.minusSeconds(1), Instant.now());
		assertThat(sent.get(2).timestamp()).isBetween(before.minusSeconds(1), Instant.now());
	}

	@Test
	void nonJsonContentTypeIsUnsupported() {
		Reply reply = this.browser.postRaw(CAPTURE, "text/plain",
				"{\"event\":\"page viewed\"}".getBytes(StandardCharsets.UTF_8));

		assertThat(reply.status()).isEqualTo(415);
		assertThat(reply.isProblem()).isTrue();
		assertThat(this.backlog.events()).isEmpty();
	}

	@Test
	void bodyOverTheLimitIsTooLarge() {
		String huge = "{\"event\":\"page viewed\",\"properties\":{\"x\":\"" + "a".repeat(70_000) + "\"}}";

		Reply reply = this.browser.postRaw(CAPTURE, "application/json", huge.getBytes(StandardCharsets.UTF_8));

		assertThat(reply.status()).isEqualTo(413);
		assertThat(reply.isProblem()).isTrue();
		assertThat(reply.json().get("detail").toString()).contains("65536");
		assertThat(this.backlog.events()).isEmpty();
	}

	@Test
	void chunkedBodyOverTheLimitIsTooLargeAndAChunkedBodyWithinItIsAccepted() {
		String huge = "{\"event\":\"page viewed\",\"anonymousId\":\"" + this.anonymousId + "\",\"properties\":{\"x\":\""
				+ "a".repeat(70_000) + "\"}}";
		String small = "{\"event\":\"page viewed\",\"anonymousId\":\"" + this.anonymousId + "\"}";

		Reply tooLarge = this.browser.postChunked(CAPTURE, huge.getBytes(StandardCharsets.UTF_8));
		Reply accepted = this.browser.postChunked(CAPTURE, small.getBytes(StandardCharsets.UTF_8));

		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.isProblem()).isTrue();
		assertThat(accepted.status()).isEqualTo(202);
		assertThat(onlyEventHandedToDelivery().event()).isEqualTo("page viewed");
	}

	@Test
	void invalidJsonAndTooDeepNestingAreBadRequests() {
		Reply broken = this.browser.postRaw(CAPTURE, "application/json", "{\"event\":".getBytes());
		Reply deep = this.browser.postRaw(CAPTURE, "application/json",
				("{\"event\":\"page viewed\",\"properties\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41))
					.getBytes());
		Reply notAnObject = this.browser.postRaw(CAPTURE, "application/json", "[1,2]".getBytes());

		assertThat(broken.status()).isEqualTo(400);
		assertThat(deep.status()).isEqualTo(400);
		assertThat(deep.json().get("detail").toString()).contains("depth");
		assertThat(notAnObject.status()).isEqualTo(400);
		assertThat(this.backlog.events()).isEmpty();
	}

	@Test
	void overlongUtf8FormsAndCodePointsAboveTheUnicodeRangeAreBadRequests() {
		// C0 BC, C0 AF and E0 80 AF are overlong forms
		// of '<' and '/'; F4 90 80 80 would be U+110000.
		for (byte[] hostile : List.of(new byte[] { (byte) 0xC0, (byte) 0xBC }, new byte[] { (byte) 0xC0, (byte) 0xAF },
				new byte[] { (byte) 0xE0, (byte) 0x80, (byte) 0xAF },
				new byte[] { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 })) {
			Reply reply = this.browser.postRaw(CAPTURE, "application/json", eventWithRawBytes(hostile));

			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.isProblem()).isTrue();
			assertThat(reply.json().get("detail").toString()).contains("UTF-8");
		}
		assertThat(this.backlog.events()).isEmpty();
	}

	@Test
	void wellFormedMultibyteUtf8IsAccepted() {
		Reply reply = this.browser.postRaw(CAPTURE, "application/json",
				eventWithRawBytes("é😀".getBytes(StandardCharsets.UTF_8)));

		assertThat(reply.status()).isEqualTo(202);
	}

	private byte[] eventWithRawBytes(byte[] inside) {
		byte[] head = ("{\"event\":\"page viewed\",\"anonymousId\":\"" + this.anonymousId
				+ "\",\"properties\":{\"surface\":\"x")
			.getBytes(StandardCharsets.UTF_8);
		byte[] tail = "\"}}".getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[head.length + inside.length + tail.length];
		System.arraycopy(head, 0, body, 0, head.length);
		System.arraycopy(inside, 0, body, head.length, inside.length);
		System.arraycopy(tail, 0, body, head.length + inside.length, tail.length);
		return body;
	}

	@Test
	void fullBacklogAnswers503WithRetryAfter() {
		this.backlog.failWith(() -> new BacklogFullException("full", Duration.ofSeconds(30)));

		Reply reply = this.browser.post(CAPTURE, event("page viewed", Map.of()));

		assertThat(reply.status()).isEqualTo(503);
		assertThat(reply.header("Retry-After")).hasValue("30");
		assertThat(reply.isProblem()).isTrue();
	}

	@Test
	void unreachableDatabaseAnswers503WithRetryAfter() {
		this.backlog.failWith(() -> new BacklogUnavailableException("down", null, Duration.ofSeconds(5)));

		Reply reply = this.browser.post(CAPTURE, event("page viewed", Map.of()));

		assertThat(reply.status()).isEqualTo(503);
		assertThat(reply.header("Retry-After")).hasValue("5");
	}

	@Test
	void captureWithoutCsrfHeaderIsForbidden() {
		Reply reply = this.browser.postWithoutCsrf(CAPTURE, event("page viewed", Map.of()));

		assertThat(reply.status()).isEqualTo(403);
		assertThat(this.backlog.events()).isEmpty();
	}

	@Test
	void anonymizedStringOutsideItsVocabularyArrivesAsOtherAndIsCountedByKeyNotByValue() {
		this.browser.post(CAPTURE, event("build failed",
				Map.of("model", "my-private-model-acme", "error_code", "ETIMEDOUT", "surface", "acme_dashboard")));

		assertThat(onlyEventHandedToDelivery().properties()).containsEntry("model", "other")
			.containsEntry("error_code", "ETIMEDOUT")
			.containsEntry("surface", "other");
		String metrics = ApiClient.forPort(this.managementPort).get("/actuator/prometheus").body();
		assertThat(metrics).contains("analytics_events_unlisted_values_total{event=\"build failed\",key=\"model\"}")
			.contains("analytics_events_unlisted_values_total{event=\"build failed\",key=\"surface\"}")
			.doesNotContain("my-private-model-acme")
			.doesNotContain("acme_dashboard");
	}

	@Test
	void acceptedAndRejectedEventsAreCountedInMetrics() {
		this.browser.post(CAPTURE,
				Map.of("batch", List.of(event("page viewed", Map.of("undeclared_thing", 1)), event("nope", Map.of()))));

		String metrics = ApiClient.forPort(this.managementPort).get("/actuator/prometheus").body();
		assertThat(metrics).contains("analytics_events_received_total")
			.contains("analytics_events_accepted_total")
			.contains("analytics_events_rejected_total{reason=\"unknown_event\"}")
			.contains("analytics_events_undeclared_properties_total{event=\"page viewed\",key=\"undeclared_thing\"}");
	}

}
