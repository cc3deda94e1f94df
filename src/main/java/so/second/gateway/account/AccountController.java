package so.second.gateway.account;

import java.security.Principal;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.DeferredCsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import so.second.gateway.throttle.SignInThrottle;
import so.second.gateway.web.ApiProblemException;
import so.second.gateway.web.GlobalPrivacyControl;

/**
 * Sign-up, login, the current user and onboarding (docs/api.md, accounts and sessions).
 * Logout is Spring Security's own filter, configured in {@link SecurityConfiguration}.
 */
@RestController
class AccountController {

	private final Accounts accounts;

	private final AuthenticationManager authenticationManager;

	private final SessionAuthenticationStrategy loginSessionStrategy;

	private final SecurityContextRepository securityContextRepository;

	private final SignInThrottle throttle;

	private final SecurityContextHolderStrategy securityContextHolder = SecurityContextHolder
		.getContextHolderStrategy();

	AccountController(Accounts accounts, AuthenticationManager authenticationManager,
			SessionAuthenticationStrategy loginSessionStrategy, SecurityContextRepository securityContextRepository,
			SignInThrottle throttle) {
		this.accounts = accounts;
		this.throttle = throttle;
		this.authenticationManager = authenticationManager;
		this.loginSessionStrategy = loginSessionStrategy;
		this.securityContextRepository = securityContextRepository;
	}

	/**
	 * Hands out the CSRF token; asking for it is what sets the {@code XSRF-TOKEN} cookie.
	 * The body carries the raw token, the cookie's value, which is what the SPA
	 * convention expects in the header (the masked form Spring Security keeps for
	 * server-rendered forms would not match).
	 */
	@GetMapping("/api/auth/csrf")
	Map<String, String> csrf(HttpServletRequest request, CsrfToken masked) {
		CsrfToken token = (request
			.getAttribute(DeferredCsrfToken.class.getName()) instanceof DeferredCsrfToken deferred) ? deferred.get()
					: masked;
		return Map.of("headerName", token.getHeaderName(), "token", token.getToken());
	}

	@PostMapping("/api/auth/signup")
	@ResponseStatus(HttpStatus.CREATED)
	AccountView signUp(@RequestBody SignUpRequest body, HttpServletRequest request) {
		this.throttle.beforeSignUp(body.email(), request.getRemoteAddr());
		return AccountView.of(this.accounts.signUp(body.email(), body.password(), body.name()));
	}

	@PostMapping("/api/auth/login")
	AccountView login(@RequestBody LoginRequest body, HttpServletRequest request, HttpServletResponse response) {
		if (body.email() == null || body.password() == null) {
			throw ApiProblemException.badRequest("email and password are required");
		}
		Accounts.requirePrintable("email", body.email());
		// Counted before the password is checked, so parallel guesses
		// are counted one by one.
		this.throttle.beforeLogin(body.email(), request.getRemoteAddr());
		Authentication authentication;
		try {
			authentication = this.authenticationManager.authenticate(
					UsernamePasswordAuthenticationToken.unauthenticated(body.email().trim(), body.password()));
		}
		catch (InternalAuthenticationServiceException ex) {
			// The user lookup failed (PostgreSQL unreachable, say): that is no wrong
			// password, and must not answer like one.
			throw (ex.getCause() instanceof RuntimeException cause) ? cause : ex;
		}
		catch (AuthenticationException ex) {
			throw new ApiProblemException(HttpStatus.UNAUTHORIZED, "invalid-credentials", "email or password is wrong");
		}
		this.throttle.loginSucceeded(body.email(), request.getRemoteAddr());
		this.loginSessionStrategy.onAuthentication(authentication, request, response);
		SecurityContext context = this.securityContextHolder.createEmptyContext();
		context.setAuthentication(authentication);
		this.securityContextHolder.setContext(context);
		this.securityContextRepository.saveContext(context, request, response);
		Account account = this.accounts.find(java.util.UUID.fromString(authentication.getName())).orElseThrow();
		this.accounts.loggedIn(account, GlobalPrivacyControl.requested(request));
		return AccountView.of(account);
	}

	/**
	 * Who is signed in, answered for anyone: a page asks this instead of {@code /api/me},
	 * so a signed-out visit is an ordinary 200, not a 401 in the browser console.
	 */
	@GetMapping("/api/auth/session")
	SessionView session(Principal principal) {
		if (principal == null) {
			return new SessionView(null);
		}
		return new SessionView(
				this.accounts.find(UUID.fromString(principal.getName())).map(AccountView::of).orElse(null));
	}

	@GetMapping("/api/me")
	AccountView me(Account account) {
		return AccountView.of(account);
	}

	@PostMapping("/api/onboarding/complete")
	AccountView completeOnboarding(Account account) {
		return AccountView.of(this.accounts.completeOnboarding(account.id()));
	}

	record SignUpRequest(String email, String password, String name) {
	}

	record LoginRequest(String email, String password) {
	}

	/**
	 * @param user the signed-in user, {@code null} when nobody is
	 */
	record SessionView(AccountView user) {
	}

}
