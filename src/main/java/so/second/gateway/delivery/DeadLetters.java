package so.second.gateway.delivery;

import java.util.List;

/**
 * The events PostHog would not take, set aside for an operator: the {@link BacklogStore}
 * when analytics are on, {@link NoDelivery} (a 409 problem) when they are off.
 */
interface DeadLetters {

	/** Up to {@code limit} dead letters after the id {@code afterId}, oldest first. */
	List<DeadLetter> deadLetters(long afterId, int limit);

	/**
	 * Puts one dead letter back in the backlog, due now; {@code false} when there is no
	 * such id.
	 */
	boolean resendDeadLetter(long id);

	/** Puts every dead letter back in the backlog; returns how many. */
	int resendAllDeadLetters();

}
