package so.second.gateway.web;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 with {@code Retry-After} when PostgreSQL cannot be reached, wherever that
 * is noticed: loading the session in Spring Session's filter, the onboarding check, a
 * controller. It runs first, around the session filter, so a lost database is never a 500
 * page, nor a connection cut under an answer already sent.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseUnavailableFilter extends OncePerRequestFilter {

	static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | RuntimeException ex) {
			if (!isDatabaseUnreachable(ex)) {
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
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()));
			Problems.write(response, Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
					"the database is unreachable; nothing was changed, retry later"));
		}
	}

	/**
	 * Whether a failure means PostgreSQL could not be used at all (gone, restarting, its
	 * connections terminated), as opposed to a bug. A failed transaction begin, commit or
	 * rollback counts: our only transactions are PostgreSQL's, and when the connection
	 * dies the rollback fails too, hiding the first error behind a
	 * {@code TransactionSystemException}.
	 */
	static boolean isDatabaseUnreachable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotGetJdbcConnectionException || cause instanceof DataAccessResourceFailureException
					|| cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
					|| cause instanceof TransactionException || cause instanceof SQLTransientException
					|| cause instanceof SQLRecoverableException || cause instanceof SQLNonTransientConnectionException
					|| cause instanceof java.net.SocketException || cause instanceof java.io.EOFException) {
				return true;
			}
			if (cause instanceof SQLException sql && isUnavailableState(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * PostgreSQL's SQLSTATE classes for a server that cannot serve: 08 connection
	 * exceptions, 53 insufficient resources, 57P operator intervention (shutdown,
	 * terminated backend, still starting).
	 */
	private static boolean isUnavailableState(String state) {
		return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P"));
	}

}
