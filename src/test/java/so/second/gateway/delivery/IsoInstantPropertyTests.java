package so.second.gateway.delivery;

import java.time.Instant;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The arithmetic writing of an event's timestamp gives {@link Instant#toString()}, for
 * every instant: whole seconds, milli-, micro- and nanoseconds, and the years outside the
 * four digits it writes itself.
 */
class IsoInstantPropertyTests {

	@Property(tries = 5000)
	void anInstantIsWrittenAsItsToStringWritesIt(@ForAll("instants") Instant instant) {
		assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
	}

	@Example
	void theEdgesOfTheFourDigitYearsAreWrittenAsToStringWritesThem() {
		for (String text : new String[] { "0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
				"2024-02-29T12:00:00.100Z", "2026-12-04T18:14:22.123456Z", "2026-12-04T18:14:22.000000001Z",
				"9999-12-31T23:59:59.999999999Z", "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z" }) {
			Instant instant = Instant.parse(text);
			assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString()).isEqualTo(text);
		}
	}

	@Provide
	Arbitrary<Instant> instants() {
		Arbitrary<Long> seconds = Arbitraries.longs()
			.between(Instant.parse("-1000-01-01T00:00:00Z").getEpochSecond(),
					Instant.parse("+11000-01-01T00:00:00Z").getEpochSecond());
		// whole seconds, and fractions ending in groups of three zeros, as often as any
		// other
		Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0),
				Arbitraries.integers().between(0, 999).map((n) -> n * 1_000_000),
				Arbitraries.integers().between(0, 999_999).map((n) -> n * 1_000),
				Arbitraries.integers().between(0, 999_999_999));
		return seconds.flatMap((s) -> nanos.map((n) -> Instant.ofEpochSecond(s, n)));
	}

}
