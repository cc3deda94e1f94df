package so.second.gateway.pipeline;

import java.util.List;
import java.util.Objects;

/**
 * What became of one incoming event: accepted as an {@link OutgoingEvent}, or rejected
 * with a reason meant for the client.
 */
public sealed interface EventOutcome permits EventOutcome.Accepted, EventOutcome.Rejected {

	/**
	 * The event passed the pipeline.
	 *
	 * @param event the event to hand to delivery
	 * @param clientSuppliedUuid whether the uuid came from the client (so a retry is
	 * recognised) rather than being assigned by the server
	 * @param droppedUndeclaredKeys the top-level property keys dropped because the
	 * tracking plan does not declare them for this event (anonymized mode only), for the
	 * caller to count
	 * @param unlistedValueKeys the keys whose string value the tracking plan's vocabulary
	 * does not list, sent as {@code "other"} (anonymized mode only), for the caller to
	 * count by key, never by value
	 */
	record Accepted(OutgoingEvent event, boolean clientSuppliedUuid, List<String> droppedUndeclaredKeys,
			List<String> unlistedValueKeys) implements EventOutcome {

		public Accepted {
			Objects.requireNonNull(event, "event");
			droppedUndeclaredKeys = List.copyOf(droppedUndeclaredKeys);
			unlistedValueKeys = List.copyOf(unlistedValueKeys);
		}

	}

	/**
	 * The event was refused.
	 *
	 * @param reason one human sentence naming the field, event or limit at fault; it
	 * quotes at most a short, cleaned prefix of client input
	 * @param fault which rule refused it, for counting
	 */
	record Rejected(String reason, Fault fault) implements EventOutcome, Admission {

		public Rejected {
			Objects.requireNonNull(reason, "reason");
			Objects.requireNonNull(fault, "fault");
		}

	}

	/**
	 * The few reasons an event is refused; the rejection's sentence names the detail.
	 */
	enum Fault {

		/** Not one of the tracking plan's event names. */
		UNKNOWN_EVENT,
		/** Anonymized, and no valid {@code anonymousId}. */
		INVALID_ANONYMOUS_ID,
		/** A {@code uuid} that is not a UUID. */
		INVALID_UUID,
		/** Not an event's shape: no name, a name or properties of the wrong type. */
		INVALID_EVENT

	}

}
