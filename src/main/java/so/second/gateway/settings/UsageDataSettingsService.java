package so.second.gateway.settings;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import so.second.gateway.account.Account;

/**
 * Reads and changes usage-data settings. Every read goes to PostgreSQL, so a change made
 * through one gateway instance applies to the very next event on every other. The
 * operator's recording time box is applied to every read.
 */
@Service
public class UsageDataSettingsService {

	private final UsageDataSettingsRepository repository;

	private final TransactionTemplate transactions;

	private final IdentifySender identify;

	private final RecordingTimeBox timeBox;

	private final Clock clock;

	UsageDataSettingsService(UsageDataSettingsRepository repository, PlatformTransactionManager transactionManager,
			IdentifySender identify, RecordingTimeBox timeBox, Clock clock) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.identify = identify;
		this.timeBox = timeBox;
		this.clock = clock;
	}

	/** The settings in force for a user. */
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
			// A recording keeps its start while it stays on; turning it on starts the
			// clock.
			Instant since = !after.screenRecording() ? null
					: before.screenRecording() ? stored.screenRecordingSince() : now;
			this.repository.update(account.id(), after, since);
			return new Transition(before,
					new UsageDataSettings(after.anonymized(), after.screenRecording(), this.timeBox.endsAt(since)));
		});
		if (transition.before().anonymized() && !transition.after().anonymized() && !globalPrivacyControl) {
			this.identify.identify(account);
		}
		return transition.after();
	}

	private record Transition(UsageDataSettings before, UsageDataSettings after) {
	}

}
