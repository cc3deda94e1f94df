package so.second.gateway.browser;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import so.second.gateway.operator.OperatorSettings;

/**
 * Puts the {@link ContentSecurityPolicy} on every answer. The pages need it; API answers
 * get it too, which costs nothing and keeps a JSON answer opened as a document from
 * running anything. It runs right after the database-failure filter, ahead of every
 * filter that may answer on its own (capture's endpoint, the security chain's 401 and
 * 403).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class ContentSecurityPolicyFilter extends OncePerRequestFilter {

	static final String HEADER = "Content-Security-Policy";

	private final String policy;

	ContentSecurityPolicyFilter(OperatorSettings operator) {
		// The operator settings are fixed at start, so the header is built once.
		this.policy = ContentSecurityPolicy.from(operator).header();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader(HEADER, this.policy);
		chain.doFilter(request, response);
	}

}
