package so.second.gateway.account;

import java.util.UUID;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

import so.second.gateway.throttle.SignInThrottle;
import so.second.gateway.web.Problems;

/**
 * The gateway's security filter chain, and the same checks for capture, its hot path,
 * which is served ahead of the chain ({@link SessionSecurity}). Sessions live in
 * PostgreSQL (Spring Session JDBC, configured by Boot), so every instance sees every
 * session. CSRF follows Spring Security's single-page-app convention on every unsafe
 * method, login and sign-up included. Failures are problem answers, never a login page or
 * a redirect.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/**
	 * The request attribute under which the onboarding check leaves the account it
	 * loaded.
	 */
	static final String CURRENT_ACCOUNT_ATTRIBUTE = Account.class.getName();

	/**
	 * Capture's checks, made ahead of the chain by the capture filter: the same parts,
	 * the same answers, without the chain's cost on the hot path.
	 */
	@Bean
	SessionSecurity sessionSecurity(CookieCsrfTokenRepository csrfTokenRepository, CookieSerializer sessionCookie,
			SessionRepository<? extends Session> sessions, Accounts accounts) {
		return new SessionSecurity(csrfTokenRepository, sessionCookie, sessions, accounts);
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, CookieCsrfTokenRepository csrfTokenRepository,
			SecurityContextRepository securityContextRepository, Accounts accounts, AdminProperties admin,
			SignInThrottle throttle) throws Exception {
		// The admin routes take the operator's bearer
		// token, never a cookie, so CSRF cannot apply.
		http.csrf(csrf -> csrf.spa().csrfTokenRepository(csrfTokenRepository).ignoringRequestMatchers("/api/admin/**"))
			.securityContext(context -> context.securityContextRepository(securityContextRepository))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
			.requestCache(cache -> cache.requestCache(new NullRequestCache()))
			.formLogin(form -> form.disable())
			.httpBasic(basic -> basic.disable())
			.authorizeHttpRequests(
					requests -> requests.requestMatchers(HttpMethod.GET, "/api/auth/csrf", "/api/auth/session")
						.permitAll()
						.requestMatchers(HttpMethod.POST, "/api/auth/signup", "/api/auth/login", "/api/auth/logout")
						.permitAll()
						.requestMatchers("/api/settings/**", "/api/analytics/**")
						.access(onboardedUser(accounts))
						.requestMatchers(AdminTokenFilter.ADMIN_ROUTES)
						.hasAuthority(AdminTokenFilter.OPERATOR)
						.requestMatchers("/api/**")
						.authenticated()
						.anyRequest()
						.permitAll())
			.addFilterBefore(new AdminTokenFilter(admin, throttle), AuthorizationFilter.class)
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthenticated())
				.accessDeniedHandler(forbidden()))
			.logout(logout -> logout.logoutUrl("/api/auth/logout")
				.logoutSuccessHandler(new HttpStatusReturningLogoutSuccessHandler(HttpStatus.NO_CONTENT)));
		return http.build();
	}

	/**
	 * No Micrometer observation per security filter, per authentication or per
	 * authorization: with observations on, Spring Security wraps each of the chain's
	 * filters in an observing decorator, which costs capture more than its pipeline does
	 * even when the {@code management.observations.enable.spring.security} predicate
	 * turns the observations themselves into no-ops. The HTTP request metrics
	 * ({@code http.server.requests}) are Spring MVC's and stay.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * The firewall's refusals (encoded dots or slashes, {@code ;} path parameters, double
	 * slashes, line breaks, unknown methods, {@code TRACE}) in the API's error shape; the
	 * detail names the kind, never the request.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return (request, response, ex) -> Problems.write(response, rejected(ex));
	}

	/**
	 * The firewall's refusal in the API's error shape; the detail names the kind, never
	 * the request.
	 */
	static ProblemDetail rejected(RequestRejectedException ex) {
		String reason = String.valueOf(ex.getMessage());
		if (reason.contains("HTTP method")) {
			return Problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
					"the method is not allowed: use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS");
		}
		return Problems.of(HttpStatus.BAD_REQUEST, "rejected-request",
				"the request URL or a header holds something the gateway refuses (an encoded or doubled "
						+ "slash, a dot segment, a ';' parameter, a control character)");
	}

	@Bean
	CookieCsrfTokenRepository csrfTokenRepository() {
		// The SPA convention: JavaScript reads XSRF-TOKEN and echoes it as X-XSRF-TOKEN.
		return CookieCsrfTokenRepository.withHttpOnlyFalse();
	}

	@Bean
	SecurityContextRepository securityContextRepository() {
		return new HttpSessionSecurityContextRepository();
	}

	/** What happens to the session at login: a new session id, and a new CSRF token. */
	@Bean
	SessionAuthenticationStrategy loginSessionStrategy(CookieCsrfTokenRepository csrfTokenRepository) {
		return new CompositeSessionAuthenticationStrategy(java.util.List.of(new ChangeSessionIdAuthenticationStrategy(),
				new CsrfAuthenticationStrategy(csrfTokenRepository)));
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	AuthenticationManager authenticationManager(AccountRepository repository, PasswordEncoder passwordEncoder) {
		UserDetailsService byEmail = email -> repository.findCredentialsByEmail(email)
			.map(credentials -> User.withUsername(credentials.id().toString())
				.password(credentials.passwordHash())
				.roles("USER")
				.build())
			.orElseThrow(() -> new UsernameNotFoundException("no such user"));
		// DaoAuthenticationProvider hides unknown users behind
		// BadCredentialsException and spends a password check on them too,
		// so both failures look and take the same.
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(byEmail);
		provider.setPasswordEncoder(passwordEncoder);
		return new ProviderManager(provider);
	}

	/**
	 * Signed in and onboarded. The account it loads is left on the request, so the
	 * controller does not read it again.
	 */
	private static AuthorizationManager<RequestAuthorizationContext> onboardedUser(Accounts accounts) {
		return new AuthorizationManager<>() {
			@Override
			public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
					RequestAuthorizationContext context) {
				Authentication current = authentication.get();
				if (current == null || !current.isAuthenticated() || current instanceof AnonymousAuthenticationToken) {
					return new AuthorizationDecision(false);
				}
				HttpServletRequest request = context.getRequest();
				Account account = accounts.find(UUID.fromString(current.getName())).orElse(null);
				if (account != null) {
					request.setAttribute(CURRENT_ACCOUNT_ATTRIBUTE, account);
				}
				return new AuthorizationDecision(account != null && account.onboarded());
			}
		};
	}

	private static AuthenticationEntryPoint unauthenticated() {
		return (request, response, ex) -> Problems.write(response, unauthenticatedProblem());
	}

	private static AccessDeniedHandler forbidden() {
		return (request, response, ex) -> Problems.write(response,
				(ex instanceof CsrfException) ? csrfProblem() : notOnboardedProblem());
	}

	static ProblemDetail unauthenticatedProblem() {
		return Problems.of(HttpStatus.UNAUTHORIZED, "authentication-required",
				"authentication required: sign in first");
	}

	static ProblemDetail csrfProblem() {
		return Problems.of(HttpStatus.FORBIDDEN, "csrf",
				"missing or invalid CSRF token: send the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header");
	}

	static ProblemDetail notOnboardedProblem() {
		return Problems.of(HttpStatus.FORBIDDEN, "onboarding-required",
				"onboarding not finished: complete onboarding before using analytics and usage-data settings");
	}

}
