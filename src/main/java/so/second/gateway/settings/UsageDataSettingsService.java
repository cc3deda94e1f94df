package so.second.gateway.settings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import so.second.gateway.account.Account;
import so.second.gateway.database.ChangeNotifications;

/**
 * Reads and changes usage-data settings. The operator's recording time box is applied to
 * every read.
 *
 * <p>
 * Capture asks for the user's mode on every request, so the users known to be
 * <em>anonymized</em> are kept in memory; identified users are read from PostgreSQL on
 * every request. The memory can therefore only be wrong in the private direction: after a
 * change toward less privacy an instance may still anonymize for up to
 * {@link ChangeNotifications#MAX_LAG} (the contract allows one second), while a change
 * toward more privacy (a time box running out included) is seen by the very next request
 * on every instance, because nothing identified is ever served from memory. A trigger
 * notifies every instance of each change as it commits (docs/architecture.md argues the
 * design).
 */
@Service
public class UsageDataSettingsService {

	static final String CHANNEL = "gateway_settings";

	private final UsageDataSettingsRepository repository;

	private final TransactionTemplate transactions;

	private final IdentifySender identify;

	private final RecordingTimeBox timeBox;

	private final Clock clock;

	private final ChangeNotifications notifications;

	private final Cache<UUID, Boolean> anonymizedUsers = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	// Moves on every notification and reset: a read that started before one must not fill
	// the cache with what it read.
	private final AtomicLong changes = new AtomicLong();

	UsageDataSettingsService(UsageDataSettingsRepository repository, PlatformTransactionManager transactionManager,
			IdentifySender identify, RecordingTimeBox timeBox, Clock clock, ChangeNotifications notifications) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.identify = identify;
		this.timeBox = timeBox;
		this.clock = clock;
		this.notifications = notifications;
		notifications.subscribe(CHANNEL, new ChangeNotifications.Subscriber() {
			@Override
			public void changed(String payload) {
				forget(UUID.fromString(payload.trim()));
			}

			@Override
			public void reset() {
				UsageDataSettingsService.this.changes.incrementAndGet();
				UsageDataSettingsService.this.anonymizedUsers.invalidateAll();
			}
		});
	}

	/** The settings in force for a user, read from PostgreSQL. */
	public UsageDataSettings current(UUID userId) {
		StoredSettings stored = this.repository.find(userId).orElse(StoredSettings.DEFAULTS);
		Instant now = this.clock.instant();
		if (this.timeBox.expired(stored, now)) {
			// The recording ran out: the row says so from now on too.
			this.repository.endRecording(userId, stored.screenRecordingSince());
		}
		return this.timeBox.apply(stored, now);
	}

	/**
	 * Whether the user's events leave anonymized: from memory for a user known to be
	 * anonymized while this instance hears every change, from PostgreSQL otherwise.
	 */
	public boolean anonymized(UUID userId) {
		boolean live = this.notifications.live();
		if (live && this.anonymizedUsers.getIfPresent(userId) != null) {
			return true;
		}
		long before = this.changes.get();
		boolean anonymized = current(userId).anonymized();
		if (anonymized && live && this.notifications.live() && this.changes.get() == before) {
			this.anonymizedUsers.put(userId, Boolean.TRUE);
		}
		return anonymized;
	}

	/**
	 * Applies a change and, when the user just became non-anonymized (and the request did
	 * not ask for privacy with Global Privacy Control), sends their {@code $identify}.
	 */
	UsageDataSettings change(Account account, SettingsChange change, boolean globalPrivacyControl) {
		Transition transition = this.transactions.execute(status -> {
			StoredSettings stored = this.repository.lock(account.id());
			// Milliseconds: what PostgreSQL keeps, and what the browser's Date reads.
			Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
			UsageDataSettings before = this.timeBox.apply(stored, now);
			UsageDataSettings after = change.applyTo(before);
			// A recording keeps its start while it stays on; turning it
			// on starts the clock.
			Instant since = !after.screenRecording() ? null
					: before.screenRecording() ? stored.screenRecordingSince() : now;
			this.repository.update(account.id(), after, since);
			return new Transition(before,
					new UsageDataSettings(after.anonymized(), after.screenRecording(), this.timeBox.endsAt(since)));
		});
		// this instance at once; the others when the trigger's notification reaches them
		forget(account.id());
		if (transition.before().anonymized() && !transition.after().anonymized() && !globalPrivacyControl) {
			this.identify.identify(account);
		}
		return transition.after();
	}

	private void forget(UUID userId) {
		this.changes.incrementAndGet();
		this.anonymizedUsers.invalidate(userId);
	}

	private record Transition(UsageDataSettings before, UsageDataSettings after) {
	}

}
