package so.second.gateway.web;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Builds the gateway's problem answers. Every problem has a {@code type} naming its kind,
 * the status's {@code title}, and a {@code detail} that names what was wrong.
 */
public final class Problems {

	private static final String TYPE_BASE = "https://second.so/problems/";

	private static final JsonMapper FILTER_MAPPER = JsonMapper.builder().build();

	private Problems() {
	}

	/**
	 * A problem of the given status and kind.
	 * @param status the HTTP status
	 * @param kind a short slug naming the kind of problem, e.g. {@code invalid-request}
	 * @param detail a sentence naming what was wrong
	 * @return the problem
	 */
	public static ProblemDetail of(HttpStatus status, String kind, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + kind));
		problem.setTitle(status.getReasonPhrase());
		return problem;
	}

	/** The answer for a problem, as {@code application/problem+json}. */
	public static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	/** The answer for a problem that tells the client when to try again. */
	public static ResponseEntity<ProblemDetail> answer(ProblemDetail problem, Duration retryAfter) {
		return ResponseEntity.status(problem.getStatus())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)))
			.body(problem);
	}

	/**
	 * Writes a problem from a servlet filter, where MVC's message converters do not run
	 * (the security filters' 401 and 403, capture's answers).
	 */
	public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		response.setStatus(problem.getStatus());
		securityHeaders(response);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", problem.getType().toString());
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		if (problem.getProperties() != null) {
			problem.getProperties().forEach(body::putIfAbsent);
		}
		FILTER_MAPPER.writeValue(response.getOutputStream(), body);
	}

	/**
	 * Writes a problem from a servlet filter, with {@code Retry-After} when it is given.
	 */
	public static void write(HttpServletResponse response, ProblemDetail problem, Duration retryAfter)
			throws IOException {
		if (retryAfter != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(retryAfter)));
		}
		write(response, problem);
	}

	/**
	 * The API's security headers, which Spring Security adds to what passes its filters;
	 * a problem written before them or instead of them (the firewall's, the connector's)
	 * carries them too.
	 */
	public static void securityHeaders(HttpServletResponse response) {
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
	}

	/**
	 * A {@code Retry-After} value: whole seconds, rounded up, at least one.
	 * @param retryAfter how long to wait
	 * @return the header's value
	 */
	public static long retryAfterSeconds(Duration retryAfter) {
		return Math.max(1, ceilSeconds(retryAfter));
	}

	private static long ceilSeconds(Duration duration) {
		long seconds = duration.getSeconds();
		return duration.getNano() > 0 ? seconds + 1 : seconds;
	}

}
