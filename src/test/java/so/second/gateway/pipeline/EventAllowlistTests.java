package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventAllowlistTests {

	private static final String ANONYMOUS_ID = "anon_0b5c2f7e-3a1d-4c8b-9e6f-1a2b3c4d5e6f";

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	private final EventAllowlist allowlist = new EventAllowlist(TrackingPlan.fromClasspath().eventNames());

	private static final String USER_ID = "7d1e4b2a-9c3f-4e8d-a6b5-0f1e2d3c4b5a";

	private static RequestContext context(boolean anonymized) {
		return new RequestContext(USER_ID, "jane.doe@example.com", "Jane Doe", anonymized, null, NOW);
	}

	private static UserIdentity user(boolean anonymized) {
		return anonymized ? UserIdentity.of(context(true)) : null;
	}

	private static Map<String, Object> event(Object... keysAndValues) {
		Map<String, Object> map = new HashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	private String refusal(Map<String, Object> raw, boolean anonymized) {
		Admission admission = this.allowlist.admit(raw, context(anonymized), user(anonymized));
		assertThat(admission).isInstanceOf(EventOutcome.Rejected.class);
		return ((EventOutcome.Rejected) admission).reason();
	}

	private Admission.Admitted admitted(Map<String, Object> raw, boolean anonymized) {
		Admission admission = this.allowlist.admit(raw, context(anonymized), user(anonymized));
		assertThat(admission).isInstanceOf(Admission.Admitted.class);
		return (Admission.Admitted) admission;
	}

	@Test
	void admitsEachOfTheNineteenNames() {
		for (String name : TrackingPlanTests.NINETEEN_EVENTS) {
			assertThat(admitted(event("event", name), false).name()).isEqualTo(name);
		}
	}

	@Test
	void unknownEventNameIsRefusedNamingIt() {
		assertThat(refusal(event("event", "foo"), false)).isEqualTo("unknown event name \"foo\"");
	}

	@Test
	void nameIsMatchedExactly() {
		assertThat(refusal(event("event", "Page Viewed"), false)).isEqualTo("unknown event name \"Page Viewed\"");
		assertThat(refusal(event("event", "page viewed "), false)).isEqualTo("unknown event name \"page viewed \"");
		assertThat(refusal(event("event", "$pageview"), false)).isEqualTo("unknown event name \"$pageview\"");
	}

	@Test
	void hugeUnknownNameIsQuotedShortAndClean() {
		String reason = refusal(event("event", "x\u0000".repeat(100_000)), false);
		assertThat(reason).startsWith("unknown event name \"xxxx").endsWith("…\"").doesNotContain("\u0000");
		assertThat(reason.length()).isLessThan(100);
	}

	@Test
	void missingOrNonStringEventIsRefused() {
		assertThat(refusal(event(), false)).isEqualTo("event is required");
		assertThat(refusal(event("event", 42), false)).isEqualTo("event must be a string");
		assertThat(refusal(event("event", List.of("page viewed")), false)).isEqualTo("event must be a string");
	}

	@Test
	void nonObjectPropertiesAreRefused() {
		assertThat(refusal(event("event", "page viewed", "properties", List.of()), false))
			.isEqualTo("properties must be a JSON object");
		assertThat(refusal(event("event", "page viewed", "properties", "x"), false))
			.isEqualTo("properties must be a JSON object");
		assertThat(admitted(event("event", "page viewed", "properties", null), false).properties()).isNull();
	}

	@Test
	void anonymizedEventNeedsAnAnonymousId() {
		assertThat(refusal(event("event", "page viewed"), true))
			.isEqualTo("anonymousId is required while usage data is anonymized");
	}

	@Test
	void malformedAnonymousIdIsRefused() {
		for (Object bad : List.of("0b5c2f7e-3a1d-4c8b-9e6f-1a2b3c4d5e6f", "anon_0B5C2F7E-3A1D-4C8B-9E6F-1A2B3C4D5E6F",
				"anon_0b5c2f7e-3a1d-1c8b-9e6f-1a2b3c4d5e6f", "anon_0b5c2f7e-3a1d-4c8b-7e6f-1a2b3c4d5e6f",
				"anon_usr_8f3k2m9q", "anon_0b5c2f7e-3a1d-4c8b-9e6f-1a2b3c4d5e6f\n", 7, "")) {
			assertThat(refusal(event("event", "page viewed", "anonymousId", bad), true)).as("%s", bad)
				.isEqualTo("anonymousId must be \"anon_\" followed by a lower-case UUID v4");
		}
	}

	@Test
	void anonymizedDistinctIdIsTheAnonymousId() {
		assertThat(admitted(event("event", "page viewed", "anonymousId", ANONYMOUS_ID), true).distinctId())
			.isEqualTo(ANONYMOUS_ID);
	}

	@Test
	void identifiedDistinctIdIsTheUserIdAndTheAnonymousIdIsIgnored() {
		assertThat(admitted(event("event", "page viewed", "anonymousId", "garbage"), false).distinctId())
			.isEqualTo(USER_ID);
	}

	@Test
	void clientDistinctIdIsIgnored() {
		assertThat(admitted(event("event", "page viewed", "distinct_id", "someone_else"), false).distinctId())
			.isEqualTo(USER_ID);
		assertThat(admitted(event("event", "page viewed", "distinct_id", "someone_else", "anonymousId", ANONYMOUS_ID),
				true)
			.distinctId()).isEqualTo(ANONYMOUS_ID);
	}

	@Test
	void clientUuidIsKeptInLowerCase() {
		Admission.Admitted admitted = admitted(
				event("event", "page viewed", "uuid", "0190A5C2-7D3E-7B1A-9C4F-2F1E8D3B6A90"), false);
		assertThat(admitted.uuid()).isEqualTo(UUID.fromString("0190a5c2-7d3e-7b1a-9c4f-2f1e8d3b6a90"));
		assertThat(admitted.uuid().toString()).isEqualTo("0190a5c2-7d3e-7b1a-9c4f-2f1e8d3b6a90");
		assertThat(admitted.clientSuppliedUuid()).isTrue();
	}

	@Test
	void missingUuidIsAssigned() {
		Admission.Admitted admitted = admitted(event("event", "page viewed"), false);
		assertThat(admitted.uuid()).isNotNull();
		assertThat(admitted.clientSuppliedUuid()).isFalse();
	}

	@Test
	void malformedUuidIsRefusedNamingTheField() {
		for (Object bad : List.of("1-1-1-1-1", "not-a-uuid", "0190a5c27d3e7b1a9c4f2f1e8d3b6a90", 12, Map.of())) {
			assertThat(refusal(event("event", "page viewed", "uuid", bad), false)).as("%s", bad)
				.startsWith("uuid must be a UUID");
		}
	}

	@Test
	void missingEventObjectIsRefused() {
		assertThat(this.allowlist.admit(null, context(false), null))
			.isEqualTo(new EventOutcome.Rejected("the event must be a JSON object", EventOutcome.Fault.INVALID_EVENT));
	}

	@Test
	void anonymousIdOrUuidCarryingTheUsersOwnIdIsRefusedNamingTheField() {
		assertThat(refusal(event("event", "page viewed", "anonymousId", "anon_" + USER_ID), true))
			.isEqualTo("anonymousId must not carry the user's own id");
		assertThat(refusal(event("event", "page viewed", "anonymousId", ANONYMOUS_ID, "uuid", USER_ID.toUpperCase()),
				true))
			.isEqualTo("uuid must not carry the user's own id");
		assertThat(admitted(event("event", "page viewed", "uuid", USER_ID), false).uuid().toString())
			.isEqualTo(USER_ID);
	}

}
