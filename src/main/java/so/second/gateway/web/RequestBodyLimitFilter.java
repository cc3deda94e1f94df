package so.second.gateway.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of every API route except capture (which reads its own, larger body
 * with the same rules): a body over the limit is a 413 before anything parses it, whether
 * its size is announced or it comes chunked, and a JSON body that is not strict UTF-8 is
 * a 400. Neither Tomcat nor Spring MVC bound a JSON body, so without this a 90 MB sign-up
 * was read whole. It runs after the security filters, so a request they refuse is never
 * read at all.
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

	/** Capture reads its own body: {@code capture.CaptureBodyReader}. */
	static final String CAPTURE_PATH = "/api/analytics/capture";

	private final int maxBodyBytes;

	RequestBodyLimitFilter(int maxBodyBytes) {
		this.maxBodyBytes = maxBodyBytes;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return !path.startsWith("/api/") || path.equals(CAPTURE_PATH);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared <= 0 && request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null) {
			chain.doFilter(request, response);
			return;
		}
		if (declared > this.maxBodyBytes) {
			tooLarge(response);
			return;
		}
		byte[] body;
		try {
			body = request.getInputStream().readNBytes(this.maxBodyBytes + 1);
		}
		catch (IOException ex) {
			// A body that stalled past the read timeout, or a client that went away.
			Problems.write(response,
					Problems.of(HttpStatus.REQUEST_TIMEOUT, "body-timeout", "the body was not received in time"));
			return;
		}
		if (body.length > this.maxBodyBytes) {
			tooLarge(response);
			return;
		}
		if (isJson(request.getContentType()) && !StrictUtf8.isValid(body)) {
			Problems.write(response, Problems.of(HttpStatus.BAD_REQUEST, "invalid-json", StrictUtf8.INVALID_DETAIL));
			return;
		}
		chain.doFilter(new ReadBodyRequest(request, body), response);
	}

	private void tooLarge(HttpServletResponse response) throws IOException {
		Problems.write(response, Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large",
				"the body exceeds the limit of " + this.maxBodyBytes + " bytes"));
	}

	private static boolean isJson(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** The request with its body already read into memory. */
	private static final class ReadBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		ReadBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("the body is already read");
				}

			};
		}

		@Override
		public java.io.BufferedReader getReader() {
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
					getCharacterEncoding() != null ? java.nio.charset.Charset.forName(getCharacterEncoding())
							: java.nio.charset.StandardCharsets.UTF_8));
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

	}

}
