package so.second.gateway.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.Session;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.TransactionException;
import org.springframework.util.Assert;

import so.second.gateway.database.ChangeNotifications;

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
 * <p>
 * Sessions are read through a near cache: a session read from PostgreSQL is kept in
 * memory on this instance, and a request on it reads nothing while nothing but its last
 * access is due. The first change of anything else loads the stored session again and
 * writes through it. The cache trusts itself only while
 * {@link ChangeNotifications#live()}: a trigger notifies every instance when a session is
 * deleted (logout, expiry clean-up) or its id, timeout, principal or attributes change,
 * so an ended session ends at once on the instance that ended it and within
 * {@link ChangeNotifications#MAX_LAG} on every other. A cached copy that has passed its
 * own expiry is read again, never trusted: its last-access time is never later than the
 * stored one, so it expires no later than the stored session would.
 */
final class LastAccessThrottlingSessionRepository implements
		FindByIndexNameSessionRepository<LastAccessThrottlingSessionRepository.TrackedSession>, DisposableBean {

	/** The longest a stored last-access time may lag behind the real one. */
	static final Duration MAX_LAST_ACCESS_LAG = Duration.ofMinutes(1);

	/** The lag as a share of the session timeout, for short timeouts. */
	private static final int TIMEOUT_SHARE = 20;

	private static final Logger log = LoggerFactory.getLogger(LastAccessThrottlingSessionRepository.class);

	private final FindByIndexNameSessionRepository<Session> delegate;

	static final String CHANNEL = "gateway_sessions";

	// How long a forgotten id is remembered; a read
	// older than half of it never fills the cache.
	private static final Duration TOMBSTONE_LIFETIME = Duration.ofMinutes(1);

	private static final long MAX_READ_AGE_NANOS = TOMBSTONE_LIFETIME.toNanos() / 2;

	private final JdbcIndexedSessionRepository jdbc;

	private final ChangeNotifications notifications;

	private final Cache<String, MapSession> nearCache = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(30))
		.build();

	// A logical clock: every forgotten id and every reset takes the next tick. A read
	// that started before the tick of its id (or of the last reset) must not fill the
	// cache with what it read.
	private final AtomicLong changes = new AtomicLong();

	private final Cache<String, Long> forgottenAt = Caffeine.newBuilder().expireAfterWrite(TOMBSTONE_LIFETIME).build();

	private volatile long resetAt;

	@SuppressWarnings("unchecked")
	LastAccessThrottlingSessionRepository(JdbcIndexedSessionRepository jdbc, ChangeNotifications notifications) {
		Assert.notNull(jdbc, "jdbc must not be null");
		Assert.notNull(notifications, "notifications must not be null");
		this.jdbc = jdbc;
		this.notifications = notifications;
		this.delegate = (FindByIndexNameSessionRepository<Session>) (FindByIndexNameSessionRepository<?>) jdbc;
		notifications.subscribe(CHANNEL, new ChangeNotifications.Subscriber() {
			@Override
			public void changed(String sessionId) {
				forget(sessionId.trim());
			}

			@Override
			public void reset() {
				LastAccessThrottlingSessionRepository.this.resetAt = LastAccessThrottlingSessionRepository.this.changes
					.incrementAndGet();
				LastAccessThrottlingSessionRepository.this.nearCache.invalidateAll();
			}
		});
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
		return new TrackedSession(this, this.delegate.createSession(), true, false, this.changes.get());
	}

	@Override
	public void save(TrackedSession session) {
		if (session.cached) {
			return; // nothing but a last access that was not due: nothing to write
		}
		if (session.gone) {
			// it was deleted elsewhere (a logout on another instance) while this request
			// ran on the cached copy; writing would bring it back
			forget(session.getId());
			return;
		}
		if (session.isNew || session.changedBeyondLastAccess) {
			if (session.originalId != null && !session.originalId.equals(session.getId())) {
				forget(session.originalId);
			}
			try {
				this.delegate.save(session.stored);
			}
			catch (RuntimeException ex) {
				forget(session.getId());
				throw ex;
			}
			remember(session.stored, session.readAtChanges, session.readAtNanos);
			return;
		}
		try {
			this.delegate.save(session.stored);
			remember(session.stored, session.readAtChanges, session.readAtNanos);
		}
		catch (DataAccessException | TransactionException ex) {
			log.warn("Could not record a session's last access; it is written on a later request: {}", ex.getMessage());
		}
	}

	@Override
	public TrackedSession findById(String id) {
		if (this.notifications.live()) {
			MapSession cached = this.nearCache.getIfPresent(id);
			if (cached != null) {
				if (!cached.isExpired()) {
					// Shared, not copied: a tracked session never writes into the
					// cached copy itself (every change loads the stored session
					// first). Its attribute values were always shared, copy or not.
					return new TrackedSession(this, cached, false, true, this.changes.get());
				}
				forget(id); // the stored one may have been touched since: read it
			}
		}
		long before = this.changes.get();
		long readAtNanos = System.nanoTime();
		Session stored = this.delegate.findById(id);
		if (stored == null) {
			return null;
		}
		remember(stored, before, readAtNanos);
		TrackedSession session = new TrackedSession(this, stored, false, false, before);
		session.readAtNanos = readAtNanos;
		return session;
	}

	@Override
	public void deleteById(String id) {
		forget(id);
		this.delegate.deleteById(id);
		forget(id);
	}

	/** Keeps a copy of a session just read or written, unless it may be stale. */
	private void remember(Session stored, long changesBefore, long readAtNanos) {
		if (!this.notifications.live() || stored.isExpired() || System.nanoTime() - readAtNanos > MAX_READ_AGE_NANOS) {
			return;
		}
		MapSession copy = new MapSession(stored);
		if (changesBefore < this.resetAt) {
			return;
		}
		Long forgotten = this.forgottenAt.getIfPresent(copy.getId());
		if (forgotten == null || forgotten <= changesBefore) {
			this.nearCache.put(copy.getId(), copy);
			// a forget may have come between the check and the put
			Long since = this.forgottenAt.getIfPresent(copy.getId());
			if ((since != null && since > changesBefore) || changesBefore < this.resetAt) {
				this.nearCache.invalidate(copy.getId());
			}
		}
	}

	private void forget(String id) {
		this.forgottenAt.put(id, this.changes.incrementAndGet());
		this.nearCache.invalidate(id);
	}

	/**
	 * Reads the stored session behind a cached copy into it ({@code gone} when there is
	 * none any more).
	 */
	private void load(TrackedSession session) {
		forget(session.getId());
		session.readAtChanges = this.changes.get();
		session.readAtNanos = System.nanoTime();
		Session loaded = this.delegate.findById(session.getId());
		session.cached = false;
		if (loaded != null) {
			session.stored = loaded;
		}
		else {
			// What this request goes on to change is its own: other requests may still
			// be reading the shared copy.
			session.stored = new MapSession(session.stored);
			session.gone = true;
		}
	}

	@Override
	public Map<String, TrackedSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
		return this.delegate.findByIndexNameAndIndexValue(indexName, indexValue)
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey,
					entry -> new TrackedSession(this, entry.getValue(), false, false, this.changes.get())));
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

		private final LastAccessThrottlingSessionRepository repository;

		private final boolean isNew;

		private final String originalId;

		private Session stored;

		/**
		 * Whether {@link #stored} is a copy from the near cache, not the stored session.
		 */
		private boolean cached;

		/** Whether the stored session turned out to be deleted when it was loaded. */
		private boolean gone;

		private boolean changedBeyondLastAccess;

		/**
		 * The repository's change count before {@link #stored} was read: a change heard
		 * after that keeps this copy out of the cache.
		 */
		private long readAtChanges;

		private long readAtNanos = System.nanoTime();

		private TrackedSession(LastAccessThrottlingSessionRepository repository, Session stored, boolean isNew,
				boolean cached, long readAtChanges) {
			this.repository = repository;
			this.stored = stored;
			this.isNew = isNew;
			this.cached = cached;
			this.readAtChanges = readAtChanges;
			this.originalId = isNew ? null : stored.getId();
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			if (this.isNew) {
				this.stored.setLastAccessedTime(lastAccessedTime);
				return;
			}
			if (!lastAccessDue(lastAccessedTime)) {
				return;
			}
			if (this.cached) {
				try {
					toStored();
				}
				catch (DataAccessException | TransactionException ex) {
					// a last access is never worth failing a request for
					log.warn("Could not load a session to record its last access: {}", ex.getMessage());
					return;
				}
			}
			if (lastAccessDue(lastAccessedTime)) {
				this.stored.setLastAccessedTime(lastAccessedTime);
			}
		}

		/** Whether this request reads the near cache's copy, not the stored session. */
		boolean fromNearCache() {
			return this.cached;
		}

		private boolean lastAccessDue(Instant lastAccessedTime) {
			Duration lag = Duration.between(this.stored.getLastAccessedTime(), lastAccessedTime);
			return lag.compareTo(lastAccessLag(this.stored.getMaxInactiveInterval())) >= 0;
		}

		/**
		 * Swaps the cached copy for the stored session before anything is written through
		 * it.
		 */
		private Session toStored() {
			if (this.cached) {
				this.repository.load(this);
			}
			return this.stored;
		}

		@Override
		public String getId() {
			return this.stored.getId();
		}

		@Override
		public String changeSessionId() {
			this.changedBeyondLastAccess = true;
			return toStored().changeSessionId();
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
			toStored().setAttribute(attributeName, attributeValue);
		}

		@Override
		public void removeAttribute(String attributeName) {
			this.changedBeyondLastAccess = true;
			toStored().removeAttribute(attributeName);
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
			toStored().setMaxInactiveInterval(interval);
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
