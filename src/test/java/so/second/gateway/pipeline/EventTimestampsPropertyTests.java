package so.second.gateway.pipeline;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The field-by-field reading of {@code Date.toISOString()}'s form gives what
 * {@link OffsetDateTime#parse} gives, for every string of that shape: valid instants,
 * fields out of range (month 13, February 30th, hour 24, second 60) and stray characters
 * alike.
 */
class EventTimestampsPropertyTests {

	private static final DateTimeFormatter TO_ISO_STRING = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	@Property(tries = 2000)
	void anInstantWrittenAsABrowserWritesItIsReadBack(@ForAll("instants") Instant instant) {
		String text = TO_ISO_STRING.format(instant);

		assertThat(EventTimestamps.parse(text)).isEqualTo(instant).isEqualTo(fullParse(text));
	}

	@Property(tries = 5000)
	void anyStringOfThatShapeIsReadAsTheFullParserReadsIt(@ForAll("isoShaped") String text) {
		assertThat(EventTimestamps.parse(text)).as(text).isEqualTo(fullParse(text));
	}

	@Provide
	Arbitrary<Instant> instants() {
		// the years that four digits hold
		return Arbitraries.longs()
			.between(Instant.parse("0000-01-01T00:00:00Z").toEpochMilli(),
					Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli())
			.map(Instant::ofEpochMilli);
	}

	@Provide
	Arbitrary<String> isoShaped() {
		Arbitrary<String> two = Arbitraries.integers().between(0, 99).map((n) -> String.format("%02d", n));
		Arbitrary<String> year = Arbitraries.integers().between(0, 9999).map((n) -> String.format("%04d", n));
		Arbitrary<String> millis = Arbitraries.integers().between(0, 999).map((n) -> String.format("%03d", n));
		Arbitrary<String> valid = Combinators.combine(year, two, two, two, two, two, millis)
			.as((y, mo, d, h, mi, s, ms) -> y + "-" + mo + "-" + d + "T" + h + ":" + mi + ":" + s + "." + ms + "Z");
		// and the same with one character replaced by something that is not a digit
		Arbitrary<Character> stray = Arbitraries.of('a', ' ', '+', '-', ':', '\u0663', '\uFF11', 'Z', 'T');
		Arbitrary<String> spoiled = Combinators.combine(valid, Arbitraries.integers().between(0, 23), stray)
			.as((text, at, c) -> text.substring(0, at) + c + text.substring(at + 1));
		return Arbitraries.oneOf(valid, spoiled);
	}

	private static Instant fullParse(String text) {
		try {
			return OffsetDateTime.parse(text.strip()).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
