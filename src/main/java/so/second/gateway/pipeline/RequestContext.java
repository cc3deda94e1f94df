package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * Per-request facts, computed once per HTTP request by the caller and shared by every
 * event of that request.
 *
 * @param userId the signed-in user's id; never sent while anonymized, but used to
 * recognise and drop it in property values
 * @param email the user's email, or {@code null}
 * @param name the user's display name, or {@code null}
 * @param anonymized whether the user's effective mode is anonymized (setting or Global
 * Privacy Control)
 * @param clientIp the browser's address, or {@code null}; only set when a trusted proxy
 * vouched for it, and only ever sent while not anonymized
 * @param receivedAt when the server received the request
 */
public record RequestContext(String userId, String email, String name, boolean anonymized, String clientIp,
		Instant receivedAt) {

	public RequestContext {
		Objects.requireNonNull(userId, "userId");
		Objects.requireNonNull(receivedAt, "receivedAt");
	}

}
