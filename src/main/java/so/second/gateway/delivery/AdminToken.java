package so.second.gateway.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import so.second.gateway.throttle.SignInThrottle;

/**
 * The operator's bearer token for the admin endpoints, from {@code SECOND_ADMIN_TOKEN}.
 * Unset, the endpoints answer 404 as if they did not exist. The check compares SHA-256
 * digests with {@link MessageDigest#isEqual}, in constant time and without revealing the
 * token's length. Wrong tokens are throttled per client address ({@link SignInThrottle}).
 */
@Component
final class AdminToken {

	private static final String BEARER = "Bearer ";

	private final byte[] digest;

	private final SignInThrottle throttle;

	AdminToken(@Value("${second.admin.token:}") String token, SignInThrottle throttle) {
		this.digest = (token == null || token.isBlank()) ? null : sha256(token.trim());
		this.throttle = throttle;
	}

	/**
	 * @param authorization the request's {@code Authorization} header, or {@code null}
	 * @param clientAddress the client's address: wrong tokens are throttled per address
	 * @throws ErrorResponseException 404 when no token is configured, 401 when the header
	 * does not carry it
	 * @throws so.second.gateway.web.ApiProblemException 429 after too many wrong tokens
	 * from this address
	 */
	void check(String authorization, String clientAddress) {
		if (this.digest == null) {
			throw new ErrorResponseException(HttpStatus.NOT_FOUND,
					ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such endpoint"), null);
		}
		this.throttle.beforeAdminToken(clientAddress);
		boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
		byte[] given = sha256(bearer ? authorization.substring(BEARER.length()).trim() : "");
		if (!MessageDigest.isEqual(given, this.digest) || !bearer) {
			ErrorResponseException unauthorized = new ErrorResponseException(HttpStatus.UNAUTHORIZED,
					ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
							"The admin endpoints need the operator token (SECOND_ADMIN_TOKEN) as a bearer token"),
					null);
			unauthorized.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			throw unauthorized;
		}
		this.throttle.adminTokenAccepted(clientAddress);
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JVM", ex);
		}
	}

}
