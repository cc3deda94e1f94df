package so.second.gateway.pipeline;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimestampsTests {

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	@Test
	void keepsATimestampFromTheLastDay() {
		assertThat(EventTimestamps.accept("2025-06-01T11:59:58.123Z", NOW))
			.isEqualTo(Instant.parse("2025-06-01T11:59:58.123Z"));
		assertThat(EventTimestamps.accept("2025-05-31T12:00:00Z", NOW))
			.isEqualTo(Instant.parse("2025-05-31T12:00:00Z"));
	}

	@Test
	void keepsATimestampWithAnOffset() {
		assertThat(EventTimestamps.accept("2025-06-01T14:00:00+02:00", NOW)).isEqualTo(NOW);
		assertThat(EventTimestamps.accept("2025-06-01T13:30:00+02:00", NOW))
			.isEqualTo(Instant.parse("2025-06-01T11:30:00Z"));
	}

	@Test
	void keepsATimestampUpToOneMinuteAhead() {
		assertThat(EventTimestamps.accept("2025-06-01T12:01:00Z", NOW))
			.isEqualTo(Instant.parse("2025-06-01T12:01:00Z"));
	}

	@Test
	void usesTheReceiveTimeForATimestampTooFarAhead() {
		assertThat(EventTimestamps.accept("2025-06-01T12:01:00.001Z", NOW)).isEqualTo(NOW);
		assertThat(EventTimestamps.accept("2030-01-01T00:00:00Z", NOW)).isEqualTo(NOW);
	}

	@Test
	void usesTheReceiveTimeForATimestampOlderThanADay() {
		assertThat(EventTimestamps.accept("2025-05-31T11:59:59.999Z", NOW)).isEqualTo(NOW);
		assertThat(EventTimestamps.accept("1970-01-01T00:00:00Z", NOW)).isEqualTo(NOW);
	}

	@Test
	void usesTheReceiveTimeForAnUnparseableOrMissingTimestamp() {
		assertThat(EventTimestamps.accept("yesterday", NOW)).isEqualTo(NOW);
		assertThat(EventTimestamps.accept("2025-06-01T11:00:00", NOW)).isEqualTo(NOW);
		assertThat(EventTimestamps.accept(1748779200000L, NOW)).isEqualTo(NOW);
		assertThat(EventTimestamps.accept(null, NOW)).isEqualTo(NOW);
		assertThat(EventTimestamps.accept("9".repeat(10_000), NOW)).isEqualTo(NOW);
	}

}
