package so.second.gateway.delivery;

import org.junit.jupiter.api.Test;

import so.second.gateway.pipeline.OutgoingEvent;

import static org.assertj.core.api.Assertions.assertThat;

class BacklogEventTests {

	private final OutgoingEvent event = DeliveryTestContext.event("page viewed");

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
