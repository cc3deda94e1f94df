package so.second.gateway.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's own error answers as problem JSON. Requests that Tomcat refuses before any
 * servlet sees them (a URI with {@code {}} or {@code %00}, a header over the limit, a
 * {@code Content-Length} that is not a number or comes twice) are answered by the host's
 * error report valve, which writes an HTML page; this one writes the API's error shape
 * with its security headers instead. Nothing of the request is echoed.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		// The same guards as Tomcat's own valves: not an error, already
		// answered, or reported.
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(false);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		HttpStatus known = HttpStatus.resolve(status);
		String title = (known != null) ? known.getReasonPhrase() : "Error";
		String body = "{\"type\":\"https://second.so/problems/http-" + status + "\",\"title\":\"" + title
				+ "\",\"status\":" + status + ",\"detail\":\"" + detail(status) + "\"}";
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			response.setHeader("X-Content-Type-Options", "nosniff");
			response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone; there is no one to answer
		}
	}

	private static String detail(int status) {
		return switch (status) {
			case 400 -> "the request is malformed: its request line, URI, a header or its framing is not valid HTTP";
			case 404 -> "no such resource";
			case 405 -> "the method is not allowed";
			case 408 -> "the request was not received in time";
			case 413 -> "the request is too large";
			case 414 -> "the request URI is too long";
			case 431 -> "the request headers are too large";
			case 501 -> "the method or transfer coding is not implemented";
			case 505 -> "the HTTP version is not supported";
			default -> (status >= 500) ? "the gateway could not handle the request" : "the request was refused";
		};
	}

}
