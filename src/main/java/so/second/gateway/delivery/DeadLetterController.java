package so.second.gateway.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import so.second.gateway.web.ApiProblemException;

/**
 * The operator's view of the dead letters: list them, and send one or all of them again
 * (they go back into the backlog as new, due at once). Every route needs the operator
 * token as a bearer token, checked in the security filter chain
 * ({@code account.AdminTokenFilter}); without a configured token the routes answer 404.
 * Event properties are not listed: the event name, uuid and PostHog's answer are what an
 * operator needs to decide. With analytics off every route answers 409
 * ({@link NoDelivery}).
 */
@RestController
@RequestMapping("/api/admin/dead-letters")
final class DeadLetterController {

	private static final int MAX_PAGE = 500;

	private final DeadLetters deadLetters;

	private final JsonMapper mapper = JsonMapper.builder().build();

	DeadLetterController(DeadLetters deadLetters) {
		this.deadLetters = deadLetters;
	}

	@GetMapping
	DeadLetterPage list(@RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > MAX_PAGE) {
			throw ApiProblemException.badRequest("limit must be between 1 and " + MAX_PAGE);
		}
		List<DeadLetterView> items = this.deadLetters.deadLetters(after, limit).stream().map(this::view).toList();
		Long next = (items.size() == limit) ? items.get(items.size() - 1).id() : null;
		return new DeadLetterPage(items, next);
	}

	@PostMapping("/{id}/resend")
	Resent resend(@PathVariable long id) {
		if (!this.deadLetters.resendDeadLetter(id)) {
			throw new ApiProblemException(HttpStatus.NOT_FOUND, "not-found", "no dead letter with id " + id);
		}
		return new Resent(1);
	}

	@PostMapping("/resend")
	Resent resendAll() {
		return new Resent(this.deadLetters.resendAllDeadLetters());
	}

	private DeadLetterView view(DeadLetter letter) {
		return new DeadLetterView(letter.id(), letter.uuid(), eventName(letter.payload()), letter.reason(),
				letter.status(), letter.response(), letter.attempts(), letter.createdAt(), letter.deadAt());
	}

	private String eventName(String payload) {
		try {
			JsonNode event = this.mapper.readTree(payload).get("event");
			return (event != null && event.isString()) ? event.asString() : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * @param items the dead letters, oldest first
	 * @param next the {@code after} value for the next page, {@code null} on the last
	 */
	record DeadLetterPage(List<DeadLetterView> items, Long next) {
	}

	record DeadLetterView(long id, UUID uuid, String event, String reason, Integer status, String response,
			int attempts, Instant acceptedAt, Instant deadAt) {
	}

	record Resent(int resent) {
	}

}
