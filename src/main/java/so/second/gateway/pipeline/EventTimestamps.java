package so.second.gateway.pipeline;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
		Instant parsed = parse(text);
		if (parsed == null) {
			return receivedAt;
		}
		boolean tooOld = parsed.isBefore(receivedAt.minus(Limits.MAX_TIMESTAMP_AGE));
		boolean tooFarAhead = parsed.isAfter(receivedAt.plus(Limits.MAX_TIMESTAMP_AHEAD));
		return (tooOld || tooFarAhead) ? receivedAt : parsed;
	}

	/**
	 * The instant an ISO-8601 timestamp with an offset names, or {@code null}. The form
	 * every browser's {@code Date.toISOString()} writes
	 * ({@code 2025-06-01T12:00:00.123Z}, 24 characters) is read field by field:
	 * {@link OffsetDateTime#parse} took a fifth of a typical event's pipeline time. A
	 * field out of range (month 13, February 30th, second 60) is refused, as the full
	 * parser refuses it; any other form goes to the full parser
	 * ({@code EventTimestampsPropertyTests} checks that both agree).
	 */
	static Instant parse(String text) {
		if (text.length() == 24 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
				&& text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(19) == '.'
				&& text.charAt(23) == 'Z') {
			int year = digits(text, 0, 4);
			int month = digits(text, 5, 7);
			int day = digits(text, 8, 10);
			int hour = digits(text, 11, 13);
			int minute = digits(text, 14, 16);
			int second = digits(text, 17, 19);
			int millis = digits(text, 20, 23);
			if ((year | month | day | hour | minute | second | millis) >= 0) {
				try {
					return LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000)
						.toInstant(ZoneOffset.UTC);
				}
				catch (DateTimeException ex) {
					return null; // a day or time that does not exist, as the full parser
									// says
				}
			}
		}
		try {
			return OffsetDateTime.parse(text.strip()).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/** The number written by the ASCII digits in [from, to), or -1 if any is not one. */
	private static int digits(String text, int from, int to) {
		int value = 0;
		for (int i = from; i < to; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
