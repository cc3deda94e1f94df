package so.second.gateway.delivery;

import java.util.UUID;

/**
 * An event of a backlog row claimed by this instance for one send.
 *
 * @param rowId the id of its row (one commit of events)
 * @param position where it stands among its row's events, from 0
 * @param uuid the event's uuid
 * @param payload the event's JSON, exactly as sent on every attempt
 * @param attempts send attempts before this one
 */
record ClaimedEvent(long rowId, int position, UUID uuid, String payload, int attempts) {

	/** The payload's size in bytes as sent (UTF-8). */
	int size() {
		return Utf8.length(this.payload);
	}

}
