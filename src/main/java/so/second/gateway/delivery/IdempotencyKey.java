package so.second.gateway.delivery;

import java.util.Objects;
import java.util.UUID;

/**
 * What a client's retry of an event shares with the first try: the signed-in user and the
 * uuid the client chose. An event with a key is stored once per key.
 *
 * @param userId the user who sent the event
 * @param eventUuid the uuid the client chose for it
 */
public record IdempotencyKey(UUID userId, UUID eventUuid) {

	public IdempotencyKey {
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(eventUuid, "eventUuid");
	}

}
