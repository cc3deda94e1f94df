package so.second.gateway.settings;

import java.util.Map;
import java.util.Set;

import so.second.gateway.web.ApiProblemException;

/**
 * A validated {@code PUT /api/settings/usage-data} body: either switch or both, nothing
 * else.
 *
 * @param anonymized the new anonymization, or {@code null} to leave it to the coupling
 * rules
 * @param screenRecording the new screen recording, or {@code null} likewise
 */
record SettingsChange(Boolean anonymized, Boolean screenRecording) {

	private static final Set<String> FIELDS = Set.of("anonymized", "screenRecording");

	/**
	 * Reads a request body, refusing anything but one or both boolean switches.
	 * @throws ApiProblemException a 400 naming the field at fault
	 */
	static SettingsChange parse(Map<String, Object> body) {
		if (body == null || body.isEmpty()) {
			throw ApiProblemException.badRequest("the body must set anonymized, screenRecording or both");
		}
		for (String field : body.keySet()) {
			if (!FIELDS.contains(field)) {
				throw ApiProblemException.badRequest(
						"unknown field \"" + shorten(field) + "\": only anonymized and screenRecording can be set");
			}
		}
		SettingsChange change = new SettingsChange(bool(body, "anonymized"), bool(body, "screenRecording"));
		if (Boolean.TRUE.equals(change.anonymized()) && Boolean.TRUE.equals(change.screenRecording())) {
			throw ApiProblemException.badRequest(
					"anonymized and screenRecording cannot both be true: screen recording needs anonymization off");
		}
		return change;
	}

	/**
	 * The settings after this change: recording on turns anonymization off, anonymization
	 * on turns recording off.
	 */
	UsageDataSettings applyTo(UsageDataSettings current) {
		boolean anonymized = this.anonymized != null ? this.anonymized : current.anonymized();
		boolean screenRecording = this.screenRecording != null ? this.screenRecording : current.screenRecording();
		if (Boolean.TRUE.equals(this.screenRecording)) {
			anonymized = false;
		}
		if (Boolean.TRUE.equals(this.anonymized)) {
			screenRecording = false;
		}
		return new UsageDataSettings(anonymized, screenRecording);
	}

	private static Boolean bool(Map<String, Object> body, String field) {
		if (!body.containsKey(field)) {
			return null;
		}
		if (body.get(field) instanceof Boolean value) {
			return value;
		}
		throw ApiProblemException.badRequest(field + " must be true or false");
	}

	private static String shorten(String field) {
		return field.length() > 40 ? field.substring(0, 40) + "…" : field;
	}

}
