package so.second.gateway.delivery;

import so.second.gateway.pipeline.OutgoingEvent;

/**
 * One event handed to delivery.
 *
 * @param event the PostHog-shaped event
 * @param idempotencyKey {@code null}, or a key (the user id and the client's uuid) that
 * makes a retried event stored once
 */
public record BacklogEvent(OutgoingEvent event, String idempotencyKey) {
}
