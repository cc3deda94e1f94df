package so.second.gateway.delivery;

import java.util.List;

/**
 * The hand-off from capture (and settings, for {@code $identify}) to delivery: once
 * {@link #append} returns, the events are committed to PostgreSQL and will reach PostHog
 * once.
 */
public interface EventBacklog {

	/**
	 * Stores the events durably and returns after the commit. An event whose
	 * {@link BacklogEvent#idempotencyKey()} was already accepted is skipped silently: a
	 * retried request is accepted, not sent twice.
	 * @param events the events to store, all or nothing
	 * @throws BacklogFullException when the undelivered backlog is at its bound
	 * @throws BacklogUnavailableException when the database cannot be reached
	 */
	void append(List<BacklogEvent> events);

}
