package so.second.gateway.delivery;

import java.util.UUID;

/**
 * A backlog row claimed by this instance for one send.
 *
 * @param id the row id
 * @param uuid the event's uuid
 * @param payload the event's JSON, exactly as sent on every attempt
 * @param attempts send attempts before this one
 */
record ClaimedEvent(long id, UUID uuid, String payload, int attempts) {

	/** The payload's size in bytes as sent (UTF-8). */
	int size() {
		return Utf8.length(this.payload);
	}

}
