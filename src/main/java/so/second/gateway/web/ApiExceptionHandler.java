package so.second.gateway.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.core.exc.StreamReadException;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become problem answers. Spring MVC's own exceptions
 * (415, 405, 404 …) keep their standard status; what we add is a detail that says what
 * was wrong, and a catch-all that never shows a class name, a stack trace or raw input.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(ApiProblemException.class)
	ResponseEntity<ProblemDetail> handleApiProblem(ApiProblemException ex) {
		return ex.retryAfter() == null ? Problems.answer(ex.problem()) : Problems.answer(ex.problem(), ex.retryAfter());
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> handleUnexpected(Exception ex) {
		if (!DatabaseFailures.isUnreachable(ex) && isConstraintViolation(ex)) {
			// Validation should have refused the input first; if a value
			// still reaches a constraint of the schema, it is the client's
			// input, not the gateway, at fault.
			log.warn("The database refused a value: {}", ex.getClass().getSimpleName());
			return Problems.answer(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request",
					"the request holds a value that cannot be stored; nothing was changed"));
		}
		if (DatabaseFailures.isUnreachable(ex)) {
			log.warn("PostgreSQL is unreachable; answering 503: {}", ex.getMessage());
			return Problems.answer(DatabaseFailures.unavailable(), DatabaseFailures.RETRY_AFTER);
		}
		log.error("Unexpected error while handling a request", ex);
		return Problems.answer(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
				"The gateway could not handle the request; nothing was changed."));
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String detail = isDuplicateKey(ex) ? "The request body repeats a field: each field may appear once."
				: "The request body is missing or is not valid JSON.";
		return asObject(Problems.answer(Problems.of(HttpStatus.BAD_REQUEST, "invalid-json", detail)));
	}

	private static boolean isDuplicateKey(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof StreamReadException read && read.getOriginalMessage() != null
					&& read.getOriginalMessage().startsWith("Duplicate Object property")) {
				return true;
			}
		}
		return false;
	}

	private static boolean isConstraintViolation(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataIntegrityViolationException) {
				return true;
			}
			// Class 22 is data exceptions (a NUL byte, a value too
			// long), 23 integrity constraints.
			if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
				return true;
			}
		}
		return false;
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
			WebRequest request) {
		if (body instanceof ProblemDetail problem) {
			HttpStatus status = HttpStatus.resolve(statusCode.value());
			if (status != null) {
				problem.setTitle(status.getReasonPhrase());
				if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
					problem.setType(java.net.URI.create("https://second.so/problems/http-" + status.value()));
				}
			}
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> entity) {
		return (ResponseEntity) entity;
	}

}
