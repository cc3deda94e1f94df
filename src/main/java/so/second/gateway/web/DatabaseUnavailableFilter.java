package so.second.gateway.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 with {@code Retry-After} when PostgreSQL cannot be reached, wherever that
 * is noticed: loading the session in Spring Session's filter, the onboarding check, a
 * controller, capture's endpoint. It runs around the session filter, so a lost database
 * is never a 500 page, nor a connection cut under an answer already sent; and inside the
 * {@code http.server.requests} observation (order {@code HIGHEST_PRECEDENCE + 1}), so the
 * metric records the 503 it answers.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class DatabaseUnavailableFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | RuntimeException ex) {
			if (!DatabaseFailures.isUnreachable(ex)) {
				throw ex;
			}
			if (response.isCommitted()) {
				// The answer has left; what failed is Spring Session's bookkeeping after
				// it (re-reading the session to decide on the cookie). Rethrowing would
				// only cut the connection under an answer the client already has.
				log.warn("PostgreSQL became unreachable after the answer was sent: {}", ex.getMessage());
				return;
			}
			log.warn("PostgreSQL is unreachable; answering 503: {}", ex.getMessage());
			response.resetBuffer();
			Problems.write(response, DatabaseFailures.unavailable(), DatabaseFailures.RETRY_AFTER);
		}
	}

}
