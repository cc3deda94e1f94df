package so.second.gateway.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import so.second.gateway.pipeline.OutgoingEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BacklogEventTests {

	private final OutgoingEvent event = new OutgoingEvent(UUID.randomUUID(), "page viewed", "anon_" + UUID.randomUUID(),
			Instant.now(), Map.of("surface", "settings"));

	private final UUID user = UUID.randomUUID();

	@Test
	void aRetriableEventIsKeyedByItsUserAndTheClientsUuid() {
		assertThat(BacklogEvent.retriable(this.event, this.user).idempotencyKey())
			.isEqualTo(BacklogEvent.retriable(this.event, this.user).idempotencyKey())
			.isEqualTo(new IdempotencyKey(this.user, this.event.uuid()));
	}

	@Test
	void theSameUuidFromAnotherUserIsAnotherEvent() {
		assertThat(BacklogEvent.retriable(this.event, this.user).idempotencyKey())
			.isNotEqualTo(BacklogEvent.retriable(this.event, UUID.randomUUID()).idempotencyKey());
	}

	@Test
	void aKeyMustCarryTheEventsOwnUuid() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BacklogEvent(this.event, new IdempotencyKey(this.user, UUID.randomUUID())));
	}

	@Test
	void anEventNoClientCanSendTwiceHasNoKey() {
		assertThat(BacklogEvent.once(this.event).idempotencyKey()).isNull();
	}

}
