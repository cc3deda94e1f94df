package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The answer of the allowlist stage: the event's validated envelope, or the pipeline's
 * own {@link EventOutcome.Rejected rejection}, which is then the event's outcome.
 */
sealed interface Admission permits Admission.Admitted, EventOutcome.Rejected {

	/**
	 * An event whose envelope passed.
	 *
	 * @param name one of the plan's event names
	 * @param properties the client's raw {@code properties} object, or {@code null}
	 * @param distinctId the anonymous id while anonymized, the user id otherwise
	 * @param uuid the client's uuid in lower case, or a fresh one
	 * @param clientSuppliedUuid whether the uuid came from the client
	 * @param timestamp the accepted timestamp
	 */
	record Admitted(String name, Map<?, ?> properties, String distinctId, UUID uuid, boolean clientSuppliedUuid,
			Instant timestamp) implements Admission {
	}

}
