package so.second.gateway.delivery;

import java.util.UUID;

import org.springframework.util.Assert;

import so.second.gateway.pipeline.OutgoingEvent;

/**
 * One event handed to delivery.
 *
 * @param event the PostHog-shaped event
 * @param idempotencyKey {@code null}, or the key (the user and the event's uuid) that
 * makes a retried event stored once
 */
public record BacklogEvent(OutgoingEvent event, IdempotencyKey idempotencyKey) {

	public BacklogEvent {
		Assert.isTrue(idempotencyKey == null || (event != null && idempotencyKey.eventUuid().equals(event.uuid())),
				"an event's idempotency key carries the event's uuid");
	}

	/**
	 * An event whose uuid the client chose, so the client may send it again after a lost
	 * answer: it is stored once per user and uuid.
	 * @param event the event, carrying the client's uuid
	 * @param userId the signed-in user who sent it
	 */
	public static BacklogEvent retriable(OutgoingEvent event, UUID userId) {
		return new BacklogEvent(event, new IdempotencyKey(userId, event.uuid()));
	}

	/**
	 * An event no client can send twice: its uuid is the gateway's own, or the gateway
	 * made the whole event (an {@code $identify}).
	 */
	public static BacklogEvent once(OutgoingEvent event) {
		return new BacklogEvent(event, null);
	}

}
