package so.second.gateway.delivery;

import java.util.List;

import org.springframework.http.HttpStatus;

import so.second.gateway.web.ApiProblemException;

/**
 * The sink when analytics are off: capture answers 204 without handing anything over, and
 * what else reaches it (a {@code $identify} at login, say) is dropped here, unstored.
 * Delivery's tables are not touched: rows left from a time analytics were on stay in
 * PostgreSQL for when they are on again, so the dead-letter routes answer 409 instead of
 * pretending there are none.
 */
final class NoDelivery implements EventBacklog, DeadLetters {

	@Override
	public void append(List<BacklogEvent> events) {
	}

	@Override
	public List<DeadLetter> deadLetters(long afterId, int limit) {
		throw analyticsOff();
	}

	@Override
	public boolean resendDeadLetter(long id) {
		throw analyticsOff();
	}

	@Override
	public int resendAllDeadLetters() {
		throw analyticsOff();
	}

	private static ApiProblemException analyticsOff() {
		return new ApiProblemException(HttpStatus.CONFLICT, "analytics-off",
				"analytics are off for this deployment: delivery does not run, and its dead letters are kept "
						+ "untouched until analytics are on again");
	}

}
