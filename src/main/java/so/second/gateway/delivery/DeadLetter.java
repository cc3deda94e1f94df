package so.second.gateway.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * An event PostHog would not take, kept aside with its answer.
 *
 * @param id the dead letter's id
 * @param uuid the event's uuid
 * @param payload the event's JSON
 * @param attempts send attempts before it was set aside
 * @param reason why: {@code rejected} (PostHog called it malformed) or {@code too_large}
 * @param status PostHog's HTTP status, {@code null} when the gateway decided alone
 * @param response the start of PostHog's answer
 * @param createdAt when it was accepted
 * @param deadAt when it was set aside
 */
record DeadLetter(long id, UUID uuid, String payload, int attempts, String reason, Integer status, String response,
		Instant createdAt, Instant deadAt) {
}
