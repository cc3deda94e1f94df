package so.second.gateway.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The {@code /error} route, in place of Boot's: every error that reaches it (a
 * {@code sendError} from a filter or the container) is answered as problem JSON with the
 * API's security headers. Asked for directly it is a 404, whatever its query says: the
 * status comes only from the container's error attributes, never from the request.
 */
@RestController
class ProblemErrorController implements ErrorController {

	@RequestMapping("/error")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request, HttpServletResponse response) {
		Problems.securityHeaders(response);
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = (code instanceof Integer value) ? HttpStatus.resolve(value) : null;
		if (status == null || !status.isError()) {
			return Problems.answer(Problems.of(HttpStatus.NOT_FOUND, "http-404", "no such resource"));
		}
		Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		if (failure instanceof Throwable throwable && DatabaseFailures.isUnreachable(throwable)) {
			return Problems.answer(DatabaseFailures.unavailable(), DatabaseFailures.RETRY_AFTER);
		}
		String detail = status.is5xxServerError() ? "The gateway could not handle the request; nothing was changed."
				: "the request was refused: " + status.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
		return Problems.answer(Problems.of(status, "http-" + status.value(), detail));
	}

}
