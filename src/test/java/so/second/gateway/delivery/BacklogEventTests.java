package so.second.gateway.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import so.second.gateway.pipeline.OutgoingEvent;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogEventTests {

	private final OutgoingEvent event = new OutgoingEvent(UUID.randomUUID(), "page viewed", "anon_" + UUID.randomUUID(),
			Instant.now(), Map.of("surface", "settings"));

	@Test
	void aRetriableEventIsKeyedByItsUserAndTheClientsUuid() {
		assertThat(BacklogEvent.retriable(this.event, "user-1").idempotencyKey())
			.isEqualTo(BacklogEvent.retriable(this.event, "user-1").idempotencyKey())
			.isEqualTo("user-1:" + this.event.uuid());
	}

	@Test
	void theSameUuidFromAnotherUserIsAnotherEvent() {
		assertThat(BacklogEvent.retriable(this.event, "user-1").idempotencyKey())
			.isNotEqualTo(BacklogEvent.retriable(this.event, "user-2").idempotencyKey());
	}

	@Test
	void anEventNoClientCanSendTwiceHasNoKey() {
		assertThat(BacklogEvent.once(this.event).idempotencyKey()).isNull();
	}

}
