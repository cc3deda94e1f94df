package so.second.gateway.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import so.second.gateway.operator.OperatorSettings;

/**
 * The operator's view of the dead letters: list them, and send one or all of them again
 * (they go back into the backlog as new, due at once). Every route needs the operator
 * token as a bearer token ({@link AdminToken}); without a configured token the routes
 * answer 404. Event properties are not listed: the event name, uuid and PostHog's answer
 * are what an operator needs to decide.
 */
@RestController
@RequestMapping("/api/admin/dead-letters")
final class DeadLetterController {

	private static final int MAX_PAGE = 500;

	private final BacklogStore store;

	private final AdminToken adminToken;

	private final OperatorSettings operator;

	private final JsonMapper mapper = JsonMapper.builder().build();

	DeadLetterController(BacklogStore store, AdminToken adminToken, OperatorSettings operator) {
		this.store = store;
		this.adminToken = adminToken;
		this.operator = operator;
	}

	@GetMapping
	DeadLetterPage list(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
			HttpServletRequest request, @RequestParam(defaultValue = "0") long after,
			@RequestParam(defaultValue = "100") int limit) {
		this.adminToken.check(authorization, request.getRemoteAddr());
		if (limit < 1 || limit > MAX_PAGE) {
			throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
					ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_PAGE),
					null);
		}
		List<DeadLetterView> items = this.store.deadLetters(after, limit).stream().map(this::view).toList();
		Long next = (items.size() == limit) ? items.get(items.size() - 1).id() : null;
		return new DeadLetterPage(items, next);
	}

	@PostMapping("/{id}/resend")
	Resent resend(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
			HttpServletRequest request, @PathVariable long id) {
		this.adminToken.check(authorization, request.getRemoteAddr());
		requireAnalyticsOn();
		if (!this.store.resendDeadLetter(id)) {
			throw new ErrorResponseException(HttpStatus.NOT_FOUND,
					ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No dead letter with id " + id), null);
		}
		return new Resent(1);
	}

	@PostMapping("/resend")
	Resent resendAll(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
			HttpServletRequest request) {
		this.adminToken.check(authorization, request.getRemoteAddr());
		requireAnalyticsOn();
		return new Resent(this.store.resendAllDeadLetters());
	}

	/**
	 * With analytics off nothing about events may be stored, and nothing would drain it.
	 */
	private void requireAnalyticsOn() {
		if (!this.operator.enabled()) {
			throw new ErrorResponseException(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
					"analytics are off for this deployment: dead letters cannot be resent"), null);
		}
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
