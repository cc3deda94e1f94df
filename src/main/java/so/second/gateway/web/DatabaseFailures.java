package so.second.gateway.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionException;

/**
 * What a lost database is, and the 503 it is answered with, wherever it is noticed.
 */
public final class DatabaseFailures {

	/** How long a client is told to wait when the database is unreachable. */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private DatabaseFailures() {
	}

	/** The answer while PostgreSQL is unreachable (with {@link #RETRY_AFTER}). */
	public static ProblemDetail unavailable() {
		return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
				"the database is unreachable; nothing was changed, retry later");
	}

	/**
	 * Whether a failure means PostgreSQL could not be used at all (gone, restarting, its
	 * connections terminated), as opposed to a bug. A failed transaction begin, commit or
	 * rollback counts: our only transactions are PostgreSQL's, and when the connection
	 * dies the rollback fails too, hiding the first error behind a
	 * {@code TransactionSystemException}.
	 */
	public static boolean isUnreachable(Throwable failure) {
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
