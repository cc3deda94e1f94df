package so.second.gateway.web;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Thrown by controllers for an answer that is a problem; {@link ApiExceptionHandler}
 * renders it.
 */
public class ApiProblemException extends RuntimeException {

	private final transient ProblemDetail problem;

	private final Duration retryAfter;

	public ApiProblemException(HttpStatus status, String kind, String detail) {
		this(Problems.of(status, kind, detail), null);
	}

	public ApiProblemException(ProblemDetail problem, Duration retryAfter) {
		super(problem.getDetail(), null, false, false);
		this.problem = problem;
		this.retryAfter = retryAfter;
	}

	/** A 400 naming what was wrong. */
	public static ApiProblemException badRequest(String detail) {
		return new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-request", detail);
	}

	public ProblemDetail problem() {
		return this.problem;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
