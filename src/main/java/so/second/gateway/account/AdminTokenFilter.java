package so.second.gateway.account;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import so.second.gateway.throttle.SignInThrottle;
import so.second.gateway.web.ApiProblemException;
import so.second.gateway.web.Problems;

/**
 * Authenticates the operator on the admin routes by the bearer token
 * {@code SECOND_ADMIN_TOKEN}, inside the security filter chain, so the routes themselves
 * check nothing. Without a configured token the routes answer 404 as if they did not
 * exist. The check compares SHA-256 digests with {@link MessageDigest#isEqual}, in
 * constant time and without revealing the token's length; wrong tokens are throttled per
 * client address ({@link SignInThrottle}). The operator's authentication lives for the
 * request only: it is never stored in a session.
 */
final class AdminTokenFilter extends OncePerRequestFilter {

	/** The routes this filter guards. */
	static final RequestMatcher ADMIN_ROUTES = PathPatternRequestMatcher.withDefaults().matcher("/api/admin/**");

	/** The authority the operator is granted. */
	static final String OPERATOR = "ROLE_OPERATOR";

	private static final String BEARER = "Bearer ";

	private final byte[] digest;

	private final SignInThrottle throttle;

	AdminTokenFilter(AdminProperties properties, SignInThrottle throttle) {
		this.digest = properties.enabled() ? sha256(properties.token().trim()) : null;
		this.throttle = throttle;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !ADMIN_ROUTES.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (this.digest == null) {
			Problems.write(response, Problems.of(HttpStatus.NOT_FOUND, "not-found", "no such endpoint"));
			return;
		}
		String address = request.getRemoteAddr();
		try {
			this.throttle.beforeAdminToken(address);
		}
		catch (ApiProblemException tooMany) {
			response.setHeader(HttpHeaders.RETRY_AFTER,
					Long.toString(Problems.retryAfterSeconds(tooMany.retryAfter())));
			Problems.write(response, tooMany.problem());
			return;
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
		byte[] given = sha256(bearer ? authorization.substring(BEARER.length()).trim() : "");
		if (!MessageDigest.isEqual(given, this.digest) || !bearer) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			Problems.write(response, Problems.of(HttpStatus.UNAUTHORIZED, "admin-token-required",
					"the admin endpoints need the operator token (SECOND_ADMIN_TOKEN) as a bearer token"));
			return;
		}
		this.throttle.adminTokenAccepted(address);
		SecurityContextHolder.setContext(new SecurityContextImpl(UsernamePasswordAuthenticationToken
			.authenticated("operator", null, List.of(new SimpleGrantedAuthority(OPERATOR)))));
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
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
