package so.second.gateway.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.TransactionException;
import org.springframework.util.Assert;

/**
 * Spring Session JDBC's repository, writing a session's last-access time only when the
 * stored one has grown older than a small fraction of the session timeout.
 * <p>
 * Spring Session touches the last-access time on every request, so without this every
 * request of a signed-in user is an {@code UPDATE} and a commit. That write only moves
 * the expiry forward; a minute of lag on a timeout of days changes nothing a user can
 * notice.
 * <p>
 * For the same reason a write that carries nothing but the last-access time never fails a
 * request: when PostgreSQL is unreachable at that moment, the request has already done
 * its work (an event may be durably accepted), and answering it with an error would only
 * make the client send it again. Every other write — a new session, a changed attribute,
 * a rotated id — still fails loudly, so a login or a logout is never silently lost.
 */
final class LastAccessThrottlingSessionRepository implements
		FindByIndexNameSessionRepository<LastAccessThrottlingSessionRepository.TrackedSession>, DisposableBean {

	/** The longest a stored last-access time may lag behind the real one. */
	static final Duration MAX_LAST_ACCESS_LAG = Duration.ofMinutes(1);

	/** The lag as a share of the session timeout, for short timeouts. */
	private static final int TIMEOUT_SHARE = 20;

	private static final Logger log = LoggerFactory.getLogger(LastAccessThrottlingSessionRepository.class);

	private final FindByIndexNameSessionRepository<Session> delegate;

	private final JdbcIndexedSessionRepository jdbc;

	@SuppressWarnings("unchecked")
	LastAccessThrottlingSessionRepository(JdbcIndexedSessionRepository jdbc) {
		Assert.notNull(jdbc, "jdbc must not be null");
		this.jdbc = jdbc;
		this.delegate = (FindByIndexNameSessionRepository<Session>) (FindByIndexNameSessionRepository<?>) jdbc;
	}

	/**
	 * Stops the wrapped repository's clean-up schedule, which it would stop itself
	 * unwrapped.
	 */
	@Override
	public void destroy() {
		this.jdbc.destroy();
	}

	@Override
	public TrackedSession createSession() {
		return new TrackedSession(this.delegate.createSession(), true);
	}

	@Override
	public void save(TrackedSession session) {
		if (session.isNew || session.changedBeyondLastAccess) {
			this.delegate.save(session.stored);
			return;
		}
		try {
			this.delegate.save(session.stored);
		}
		catch (DataAccessException | TransactionException ex) {
			log.warn("Could not record a session's last access; it is written on a later request: {}", ex.getMessage());
		}
	}

	@Override
	public TrackedSession findById(String id) {
		Session stored = this.delegate.findById(id);
		return (stored != null) ? new TrackedSession(stored, false) : null;
	}

	@Override
	public void deleteById(String id) {
		this.delegate.deleteById(id);
	}

	@Override
	public Map<String, TrackedSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
		return this.delegate.findByIndexNameAndIndexValue(indexName, indexValue)
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, entry -> new TrackedSession(entry.getValue(), false)));
	}

	static Duration lastAccessLag(Duration sessionTimeout) {
		Duration share = sessionTimeout.dividedBy(TIMEOUT_SHARE);
		return (share.compareTo(MAX_LAST_ACCESS_LAG) < 0) ? share : MAX_LAST_ACCESS_LAG;
	}

	/**
	 * A stored session that passes a new last-access time on only when it is due, and
	 * remembers whether anything else changed.
	 */
	static final class TrackedSession implements Session {

		private final Session stored;

		private final boolean isNew;

		private boolean changedBeyondLastAccess;

		private TrackedSession(Session stored, boolean isNew) {
			this.stored = stored;
			this.isNew = isNew;
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			Duration lag = Duration.between(this.stored.getLastAccessedTime(), lastAccessedTime);
			if (this.isNew || lag.compareTo(lastAccessLag(this.stored.getMaxInactiveInterval())) >= 0) {
				this.stored.setLastAccessedTime(lastAccessedTime);
			}
		}

		@Override
		public String getId() {
			return this.stored.getId();
		}

		@Override
		public String changeSessionId() {
			this.changedBeyondLastAccess = true;
			return this.stored.changeSessionId();
		}

		@Override
		public <T> T getAttribute(String attributeName) {
			return this.stored.getAttribute(attributeName);
		}

		@Override
		public Set<String> getAttributeNames() {
			return this.stored.getAttributeNames();
		}

		@Override
		public void setAttribute(String attributeName, Object attributeValue) {
			this.changedBeyondLastAccess = true;
			this.stored.setAttribute(attributeName, attributeValue);
		}

		@Override
		public void removeAttribute(String attributeName) {
			this.changedBeyondLastAccess = true;
			this.stored.removeAttribute(attributeName);
		}

		@Override
		public Instant getCreationTime() {
			return this.stored.getCreationTime();
		}

		@Override
		public Instant getLastAccessedTime() {
			return this.stored.getLastAccessedTime();
		}

		@Override
		public void setMaxInactiveInterval(Duration interval) {
			this.changedBeyondLastAccess = true;
			this.stored.setMaxInactiveInterval(interval);
		}

		@Override
		public Duration getMaxInactiveInterval() {
			return this.stored.getMaxInactiveInterval();
		}

		@Override
		public boolean isExpired() {
			return this.stored.isExpired();
		}

	}

}
