package so.second.gateway.delivery;

import java.util.List;

/**
 * The sink when analytics are off: capture answers 204 without handing anything over, and
 * what else reaches it (a {@code $identify} at login, say) is dropped here, unstored.
 * With nothing stored there are no dead letters; rows left from a time analytics were on
 * stay in PostgreSQL untouched, for when they are on again.
 */
final class NoDelivery implements EventBacklog, DeadLetters {

	@Override
	public void append(List<BacklogEvent> events) {
	}

	@Override
	public List<DeadLetter> deadLetters(long afterId, int limit) {
		return List.of();
	}

	@Override
	public boolean resendDeadLetter(long id) {
		return false;
	}

	@Override
	public int resendAllDeadLetters() {
		return 0;
	}

}
