package so.second.gateway.pipeline;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Stage 1: admits an event only when its envelope is sound. {@code event} must be one of
 * the plan's names exactly; {@code properties} must be an object when present; while
 * anonymized {@code anonymousId} must be {@code anon_} and a lower-case UUID v4 (it is
 * ignored otherwise); {@code uuid}, when present, must be a UUID. Every other top-level
 * field, {@code distinct_id} included, is ignored: the client never chooses whose event
 * it is.
 */
final class EventAllowlist {

	private static final Pattern ANONYMOUS_ID = Pattern
		.compile("anon_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

	private static final Pattern UUID_TEXT = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private final Set<String> eventNames;

	EventAllowlist(Set<String> eventNames) {
		this.eventNames = Set.copyOf(eventNames);
	}

	/**
	 * Admits or refuses one event.
	 * @param raw the event as parsed
	 * @param context the request's facts
	 * @param user the user's own identifiers while anonymized, {@code null} otherwise
	 * @return the admitted envelope or the refusal
	 */
	Admission admit(Map<String, Object> raw, RequestContext context, UserIdentity user) {
		if (raw == null) {
			return new EventOutcome.Rejected("the event must be a JSON object", EventOutcome.Fault.INVALID_EVENT);
		}
		Object event = raw.get("event");
		if (event == null) {
			return new EventOutcome.Rejected("event is required", EventOutcome.Fault.INVALID_EVENT);
		}
		if (!(event instanceof String name)) {
			return new EventOutcome.Rejected("event must be a string", EventOutcome.Fault.INVALID_EVENT);
		}
		if (!this.eventNames.contains(name)) {
			return new EventOutcome.Rejected("unknown event name " + quote(name), EventOutcome.Fault.UNKNOWN_EVENT);
		}
		Object properties = raw.get("properties");
		if (properties != null && !(properties instanceof Map)) {
			return new EventOutcome.Rejected("properties must be a JSON object", EventOutcome.Fault.INVALID_EVENT);
		}
		String distinctId = context.userId();
		if (context.anonymized()) {
			Object anonymousId = raw.get("anonymousId");
			if (anonymousId == null) {
				return new EventOutcome.Rejected("anonymousId is required while usage data is anonymized",
						EventOutcome.Fault.INVALID_ANONYMOUS_ID);
			}
			if (!(anonymousId instanceof String id) || !ANONYMOUS_ID.matcher(id).matches()) {
				return new EventOutcome.Rejected("anonymousId must be \"anon_\" followed by a lower-case UUID v4",
						EventOutcome.Fault.INVALID_ANONYMOUS_ID);
			}
			if (user != null && user.isOwnId(id)) {
				return new EventOutcome.Rejected("anonymousId must not carry the user's own id",
						EventOutcome.Fault.INVALID_ANONYMOUS_ID);
			}
			distinctId = id;
		}
		Object uuidField = raw.get("uuid");
		UUID uuid = null;
		if (uuidField != null) {
			if (!(uuidField instanceof String text) || !UUID_TEXT.matcher(text).matches()) {
				return new EventOutcome.Rejected("uuid must be a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
						EventOutcome.Fault.INVALID_UUID);
			}
			if (user != null && user.isOwnId(text)) {
				return new EventOutcome.Rejected("uuid must not carry the user's own id",
						EventOutcome.Fault.INVALID_UUID);
			}
			uuid = UUID.fromString(text);
		}
		return new Admission.Admitted(name, (Map<?, ?>) properties, distinctId,
				(uuid != null) ? uuid : UUID.randomUUID(), uuid != null,
				EventTimestamps.accept(raw.get("timestamp"), context.receivedAt()));
	}

	/**
	 * Client text fit to quote in a reason: cleaned, and cut to
	 * {@link Limits#MAX_ECHO_LENGTH}.
	 */
	static String quote(String clientText) {
		String clean = Sanitizer.cleanString(clientText);
		if (clean.length() > Limits.MAX_ECHO_LENGTH) {
			int cut = Limits.MAX_ECHO_LENGTH;
			if (Character.isHighSurrogate(clean.charAt(cut - 1))) {
				cut--;
			}
			clean = clean.substring(0, cut) + "…";
		}
		return "\"" + clean.replace("\"", "\\\"") + "\"";
	}

}
