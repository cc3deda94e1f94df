package so.second.gateway.pipeline;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Part of stage 1: the event's timestamp. A client's ISO-8601 timestamp with an offset
 * (such as {@code 2025-06-01T12:00:00.123Z}) is kept when it lies within
 * {@link Limits#MAX_TIMESTAMP_AGE} before the receive time and at most
 * {@link Limits#MAX_TIMESTAMP_AHEAD} after it; anything else, unparseable or absent,
 * gives the receive time. A timestamp never rejects an event.
 */
final class EventTimestamps {

	/** Longer than any ISO-8601 timestamp; such input is not parsed at all. */
	private static final int MAX_TIMESTAMP_LENGTH = 64;

	private EventTimestamps() {
	}

	static Instant accept(Object clientTimestamp, Instant receivedAt) {
		if (!(clientTimestamp instanceof String text) || text.length() > MAX_TIMESTAMP_LENGTH) {
			return receivedAt;
		}
		Instant parsed;
		try {
			parsed = OffsetDateTime.parse(text.strip()).toInstant();
		}
		catch (DateTimeParseException ex) {
			return receivedAt;
		}
		boolean tooOld = parsed.isBefore(receivedAt.minus(Limits.MAX_TIMESTAMP_AGE));
		boolean tooFarAhead = parsed.isAfter(receivedAt.plus(Limits.MAX_TIMESTAMP_AHEAD));
		return (tooOld || tooFarAhead) ? receivedAt : parsed;
	}

}
