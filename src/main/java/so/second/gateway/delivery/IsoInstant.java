package so.second.gateway.delivery;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()}, character for character, written by arithmetic for the
 * years that four digits hold: every event's {@code timestamp} goes through it, and
 * {@code DateTimeFormatter.ISO_INSTANT}, which {@code toString} uses, was about a third
 * of writing an event's JSON (docs/benchmarks.md). Any other year goes to
 * {@code toString} itself.
 */
final class IsoInstant {

	private static final long FIRST_SECOND = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();

	private static final long LAST_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

	private static final int SECONDS_PER_DAY = 86_400;

	/** {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}, the longest it writes. */
	private static final int MAX_LENGTH = 30;

	private IsoInstant() {
	}

	static String format(Instant instant) {
		long seconds = instant.getEpochSecond();
		if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
			return instant.toString();
		}
		LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
		int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
		char[] out = new char[MAX_LENGTH];
		digits(out, 0, date.getYear(), 4);
		out[4] = '-';
		digits(out, 5, date.getMonthValue(), 2);
		out[7] = '-';
		digits(out, 8, date.getDayOfMonth(), 2);
		out[10] = 'T';
		digits(out, 11, secondOfDay / 3600, 2);
		out[13] = ':';
		digits(out, 14, secondOfDay / 60 % 60, 2);
		out[16] = ':';
		digits(out, 17, secondOfDay % 60, 2);
		int length = 19;
		// as ISO_INSTANT: the fraction in groups of three digits, as many as it needs
		int nanos = instant.getNano();
		if (nanos != 0) {
			out[length++] = '.';
			if (nanos % 1_000_000 == 0) {
				length = digits(out, length, nanos / 1_000_000, 3);
			}
			else if (nanos % 1_000 == 0) {
				length = digits(out, length, nanos / 1_000, 6);
			}
			else {
				length = digits(out, length, nanos, 9);
			}
		}
		out[length++] = 'Z';
		return new String(out, 0, length);
	}

	/**
	 * Writes {@code value} as {@code width} decimal digits at {@code at}; returns the
	 * end.
	 */
	private static int digits(char[] out, int at, int value, int width) {
		for (int i = at + width - 1; i >= at; i--) {
			out[i] = (char) ('0' + value % 10);
			value /= 10;
		}
		return at + width;
	}

}
