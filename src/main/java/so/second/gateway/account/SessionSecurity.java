package so.second.gateway.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.CacheControlHeadersWriter;
import org.springframework.security.web.header.writers.HstsHeaderWriter;
import org.springframework.security.web.header.writers.XContentTypeOptionsHeaderWriter;
import org.springframework.security.web.header.writers.XXssProtectionHeaderWriter;
import org.springframework.security.web.header.writers.frameoptions.XFrameOptionsHeaderWriter;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.CookieSerializer;

import so.second.gateway.web.ApiProblemException;

/**
 * The checks of the gateway's security filter chain for one route that is served ahead of
 * it: capture, the hot path, where the chain, Spring Session's request wrapper and Spring
 * MVC's dispatch cost more than the route's own work. The checks are Spring Security's
 * own parts, called in the chain's order with the chain's answers: its firewall, its
 * default headers, the cookie CSRF token compared as sent, the user of the session (read
 * through the same {@link SessionRepository}, so the near cache and its notifications
 * apply), and the onboarding check. {@code SessionSecurityTests} pins that capture
 * answers as every other route does.
 */
public final class SessionSecurity {

	private static final CsrfTokenRequestHandler CSRF_TOKEN_AS_SENT = new CsrfTokenRequestAttributeHandler();

	// Spring Security's default headers (HttpSecurity.headers()), which the chain writes.
	private static final List<HeaderWriter> HEADERS = List.of(new XContentTypeOptionsHeaderWriter(),
			new XXssProtectionHeaderWriter(), new CacheControlHeadersWriter(), new HstsHeaderWriter(),
			new XFrameOptionsHeaderWriter());

	private final HttpFirewall firewall = new StrictHttpFirewall();

	private final CsrfTokenRepository csrfTokens;

	private final CookieSerializer sessionCookie;

	private final SessionRepository<Session> sessions;

	private final Accounts accounts;

	@SuppressWarnings("unchecked")
	SessionSecurity(CsrfTokenRepository csrfTokens, CookieSerializer sessionCookie,
			SessionRepository<? extends Session> sessions, Accounts accounts) {
		this.csrfTokens = csrfTokens;
		this.sessionCookie = sessionCookie;
		// A session it finds is only ever saved back into the same repository.
		this.sessions = (SessionRepository<Session>) sessions;
		this.accounts = accounts;
	}

	/** A request the checks let through, and its onboarded user. */
	public record Admitted(HttpServletRequest request, Account account) {
	}

	/**
	 * Checks a request as the security chain would, writing the chain's headers.
	 * @return the request (behind the firewall) and its signed-in, onboarded user
	 * @throws ApiProblemException with the chain's answer (400 or 405 from the firewall,
	 * 403 {@code csrf}, 401, 403 {@code onboarding-required})
	 */
	public Admitted admit(HttpServletRequest request, HttpServletResponse response) {
		HttpServletRequest checked;
		try {
			checked = this.firewall.getFirewalledRequest(request);
		}
		catch (RequestRejectedException ex) {
			throw new ApiProblemException(SecurityConfiguration.rejected(ex), null);
		}
		for (HeaderWriter header : HEADERS) {
			header.writeHeaders(checked, response);
		}
		if (csrfProtected(checked.getMethod())) {
			requireCsrfToken(checked, response);
		}
		Authentication user = sessionUser(checked);
		if (user == null) {
			throw new ApiProblemException(SecurityConfiguration.unauthenticatedProblem(), null);
		}
		Account account = this.accounts.find(UUID.fromString(user.getName())).orElse(null);
		if (account == null || !account.onboarded()) {
			throw new ApiProblemException(SecurityConfiguration.notOnboardedProblem(), null);
		}
		return new Admitted(checked, account);
	}

	private static boolean csrfProtected(String method) {
		return !(HttpMethod.GET.matches(method) || HttpMethod.HEAD.matches(method) || HttpMethod.TRACE.matches(method)
				|| HttpMethod.OPTIONS.matches(method));
	}

	/**
	 * As {@code CsrfFilter} does it: a request without the cookie gets a new one (so the
	 * client can retry) and the same 403.
	 */
	private void requireCsrfToken(HttpServletRequest request, HttpServletResponse response) {
		CsrfToken expected = this.csrfTokens.loadDeferredToken(request, response).get();
		String actual = CSRF_TOKEN_AS_SENT.resolveCsrfTokenValue(request, expected);
		if (actual == null || !MessageDigest.isEqual(expected.getToken().getBytes(StandardCharsets.UTF_8),
				actual.getBytes(StandardCharsets.UTF_8))) {
			throw new ApiProblemException(SecurityConfiguration.csrfProblem(), null);
		}
	}

	/**
	 * The authenticated user of the request's session, as Spring Session's filter finds
	 * the session (the first of the cookie's ids that names one) and records its last
	 * access.
	 */
	private Authentication sessionUser(HttpServletRequest request) {
		Session session = null;
		for (String id : this.sessionCookie.readCookieValues(request)) {
			session = this.sessions.findById(id);
			if (session != null) {
				break;
			}
		}
		if (session == null) {
			return null;
		}
		// The repository writes it only when the stored one is a minute old.
		session.setLastAccessedTime(Instant.now());
		this.sessions.save(session);
		SecurityContext context = session
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		Authentication authentication = (context != null) ? context.getAuthentication() : null;
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return null;
		}
		return authentication;
	}

}
