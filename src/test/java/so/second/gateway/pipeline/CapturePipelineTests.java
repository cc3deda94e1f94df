package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static so.second.gateway.pipeline.TestMaps.map;

class CapturePipelineTests {

	private static final String ANONYMOUS_ID = "anon_0b5c2f7e-3a1d-4c8b-9e6f-1a2b3c4d5e6f";

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	private static final ReleaseMetadata RELEASE = new ReleaseMetadata("1.4.0", "@second-inc/cli", "node22", null,
			null);

	private final CapturePipeline pipeline = new CapturePipeline(TrackingPlan.fromClasspath(), RELEASE, "0.1.0");

	private static RequestContext anonymized() {
		return new RequestContext("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe", true, "203.0.113.9", NOW);
	}

	private static RequestContext identified(String clientIp) {
		return new RequestContext("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe", false, clientIp, NOW);
	}

	private EventOutcome.Accepted accepted(Map<String, Object> raw, RequestContext context) {
		EventOutcome outcome = this.pipeline.process(raw, context);
		assertThat(outcome).isInstanceOf(EventOutcome.Accepted.class);
		return (EventOutcome.Accepted) outcome;
	}

	@Test
	void anonymizedEventIsShapedExactly() {
		EventOutcome.Accepted accepted = accepted(map("event", "build failed", "anonymousId", ANONYMOUS_ID, "uuid",
				"0190a5c2-7d3e-7b1a-9c4f-2f1e8d3b6a90", "timestamp", "2025-06-01T11:59:00Z", "distinct_id",
				"usr_someone_else", "properties",
				map("message_count", 4, "error_code", "ETIMEDOUT", "error_message", "connect to db.acme.io failed",
						"workspace_id", "w_123", "$ip", "198.51.100.7", "surface", "app_chat", "route_shape",
						"/w/acme/apps/5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b/runs/812?x=1", "viewport_width", 1440)),
				anonymized());
		OutgoingEvent event = accepted.event();
		assertThat(event.uuid()).isEqualTo(UUID.fromString("0190a5c2-7d3e-7b1a-9c4f-2f1e8d3b6a90"));
		assertThat(event.event()).isEqualTo("build failed");
		assertThat(event.distinctId()).isEqualTo(ANONYMOUS_ID);
		assertThat(event.timestamp()).isEqualTo(Instant.parse("2025-06-01T11:59:00Z"));
		assertThat(event.properties()).containsExactly(Map.entry("message_count", 4),
				Map.entry("error_code", "ETIMEDOUT"), Map.entry("surface", "app_chat"),
				Map.entry("route_shape", "/w/:workspace/apps/:objectId/runs/:runId"), Map.entry("viewport_width", 1440),
				Map.entry("release_version", "1.4.0"), Map.entry("release_package", "@second-inc/cli"),
				Map.entry("release_runtime", "node22"), new SimpleEntry<>("cli_launcher_version", null),
				new SimpleEntry<>("cli_launcher_package", null), Map.entry("$lib", "second-analytics-gateway"),
				Map.entry("$lib_version", "0.1.0"), Map.entry("$process_person_profile", false),
				Map.entry("$geoip_disable", true));
		assertThat(accepted.clientSuppliedUuid()).isTrue();
		assertThat(accepted.droppedUndeclaredKeys()).containsExactly("error_message", "workspace_id");
	}

	@Test
	void aUserKnownUnderAnotherNameIsCheckedAgainstTheNameOfThisRequest() {
		RequestContext before = new RequestContext("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe", true, null, NOW);
		RequestContext renamed = new RequestContext("usr_8f3k2m9q", "jane.doe@example.com", "Codex Doe", true, null,
				NOW);

		assertThat(accepted(buildFailedOn("codex"), before).event().properties()).containsEntry("runtime_id", "codex");
		assertThat(accepted(buildFailedOn("codex"), renamed).event().properties()).containsEntry("runtime_id", "other");
	}

	private static Map<String, Object> buildFailedOn(String runtime) {
		return map("event", "build failed", "anonymousId", ANONYMOUS_ID, "properties", map("runtime_id", runtime));
	}

	@Test
	void anonymizedEventDropsWorkspaceId() {
		OutgoingEvent event = accepted(
				map("event", "app displayed", "anonymousId", ANONYMOUS_ID, "properties", map("workspace_id", "w_123")),
				anonymized())
			.event();
		assertThat(event.properties()).doesNotContainKey("workspace_id");
	}

	@Test
	void anonymizedEventNeverCarriesTheIpOrPersonProperties() {
		OutgoingEvent event = accepted(map("event", "page viewed", "anonymousId", ANONYMOUS_ID, "properties",
				map("$ip", "1.2.3.4", "$set", map("email", "x@y.z"), "$set_once", map("a", 1), "$identify", true,
						"$create_alias", "x", "$anon_distinct_id", "y", "$process_person_profile", true,
						"$geoip_disable", false)),
				anonymized())
			.event();
		assertThat(event.properties()).doesNotContainKeys("$ip", "$set", "$set_once", "$identify", "$create_alias",
				"$anon_distinct_id");
		assertThat(event.properties()).containsEntry("$process_person_profile", false)
			.containsEntry("$geoip_disable", true);
	}

	@Test
	void anonymizedBuildEventKeepsCountsAndOutcomes() {
		Map<String, Object> counts = map("message_count", 12, "tool_call_count", 30, "attachment_count", 1,
				"file_count", 7, "duration_ms", 45_000, "runtime_id", "claude-code", "model", "claude-sonnet-4-5",
				"failure_phase", "install", "error_code", "ETIMEDOUT");
		for (String name : List.of("build completed", "build failed", "app agent triggered", "app agent finished",
				"app agent error")) {
			for (RequestContext context : List.of(anonymized(), identified(null))) {
				OutgoingEvent event = accepted(
						map("event", name, "anonymousId", ANONYMOUS_ID, "properties", new LinkedHashMap<>(counts)),
						context)
					.event();
				assertThat(event.properties()).as("%s", name).containsAllEntriesOf(counts);
			}
		}
	}

	@Test
	void identifiedEventUsesTheUserIdAndTheVouchedIp() {
		EventOutcome.Accepted accepted = accepted(
				map("event", "app displayed", "anonymousId", ANONYMOUS_ID, "properties",
						map("workspace_id", "w_123", "app_name", "Todo tracker", "surface", "app_chat")),
				identified("203.0.113.9"));
		OutgoingEvent event = accepted.event();
		assertThat(event.distinctId()).isEqualTo("usr_8f3k2m9q");
		assertThat(event.properties()).containsEntry("workspace_id", "w_123")
			.containsEntry("app_name", "Todo tracker")
			.containsEntry("$ip", "203.0.113.9")
			.doesNotContainKeys("$process_person_profile", "$geoip_disable");
		assertThat(accepted.droppedUndeclaredKeys()).isEmpty();
	}

	@Test
	void identifiedEventWithoutAVouchedIpHasNoIp() {
		OutgoingEvent event = accepted(map("event", "page viewed", "properties", map("$ip", "1.2.3.4")),
				identified(null))
			.event();
		assertThat(event.properties()).doesNotContainKey("$ip");
	}

	@Test
	void identifiedEventStillDropsClientDollarKeysReservedKeysAndBadKeys() {
		OutgoingEvent event = accepted(
				map("event", "page viewed", "properties",
						map("$set", map("email", "x@y.z"), "distinct_id", "x", "BadKey", 1, "good_key", 2)),
				identified(null))
			.event();
		assertThat(event.properties()).containsEntry("good_key", 2).doesNotContainKeys("$set", "BadKey", "distinct_id");
		assertThat(event.distinctId()).isEqualTo("usr_8f3k2m9q");
	}

	@Test
	void everyEventCarriesTheLibraryAndTheReleaseProperties() {
		OutgoingEvent event = accepted(map("event", "onboarding finished"), identified(null)).event();
		assertThat(event.properties()).containsEntry("$lib", "second-analytics-gateway")
			.containsEntry("$lib_version", "0.1.0")
			.containsEntry("release_version", "1.4.0")
			.containsKey("cli_launcher_version")
			.containsKey("cli_launcher_package");
		assertThat(event.properties().get("cli_launcher_version")).isNull();
	}

	@Test
	void serverAssignsUuidAndTimestampWhenTheClientSendsNone() {
		EventOutcome.Accepted accepted = accepted(map("event", "page viewed"), identified(null));
		assertThat(accepted.clientSuppliedUuid()).isFalse();
		assertThat(accepted.event().uuid()).isNotNull();
		assertThat(accepted.event().timestamp()).isEqualTo(NOW);
	}

	@Test
	void unknownEventIsRejectedNamingIt() {
		assertThat(this.pipeline.process(map("event", "foo"), identified(null)))
			.isEqualTo(new EventOutcome.Rejected("unknown event name \"foo\"", EventOutcome.Fault.UNKNOWN_EVENT));
	}

	@Test
	void anonymizedEventWithoutAnonymousIdIsRejected() {
		assertThat(this.pipeline.process(map("event", "page viewed"), anonymized()))
			.isEqualTo(new EventOutcome.Rejected("anonymousId is required while usage data is anonymized",
					EventOutcome.Fault.INVALID_ANONYMOUS_ID));
	}

	@Test
	void identifySetsEmailAndNameAndNeverAliases() {
		OutgoingEvent identify = this.pipeline.identify("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe", NOW);
		assertThat(identify.event()).isEqualTo("$identify");
		assertThat(identify.distinctId()).isEqualTo("usr_8f3k2m9q");
		assertThat(identify.timestamp()).isEqualTo(NOW);
		assertThat(identify.properties())
			.containsEntry("$set", Map.of("email", "jane.doe@example.com", "name", "Jane Doe"))
			.containsEntry("$lib", "second-analytics-gateway")
			.containsEntry("$lib_version", "0.1.0")
			.containsEntry("release_version", "1.4.0")
			.containsKeys(ReleaseStage.KEYS.toArray(String[]::new))
			.doesNotContainKeys("$anon_distinct_id", "$create_alias", "$process_person_profile");
	}

	@Test
	void identifyLeavesOutAnUnknownName() {
		OutgoingEvent identify = this.pipeline.identify("usr_8f3k2m9q", "jane.doe@example.com", null, NOW);
		assertThat(identify.properties()).containsEntry("$set", Map.of("email", "jane.doe@example.com"));
	}

	@Test
	void outgoingPropertiesCannotBeChanged() {
		OutgoingEvent event = accepted(map("event", "page viewed"), identified(null)).event();
		org.assertj.core.api.Assertions.assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> event.properties().put("x", 1));
	}

}
