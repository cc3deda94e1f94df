package so.second.gateway.settings;

import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import so.second.gateway.account.Account;

/**
 * Reads and changes usage-data settings. Every read goes to PostgreSQL, so a change made
 * through one gateway instance applies to the very next event on every other.
 */
@Service
public class UsageDataSettingsService {

	private final UsageDataSettingsRepository repository;

	private final TransactionTemplate transactions;

	private final IdentifySender identify;

	UsageDataSettingsService(UsageDataSettingsRepository repository, PlatformTransactionManager transactionManager,
			IdentifySender identify) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.identify = identify;
	}

	/** The settings in force for a user. */
	public UsageDataSettings current(UUID userId) {
		return this.repository.find(userId).orElse(UsageDataSettings.DEFAULTS);
	}

	/**
	 * Applies a change and, when the user just became non-anonymized (and the request did
	 * not ask for privacy with Global Privacy Control), sends their {@code $identify}.
	 */
	UsageDataSettings change(Account account, SettingsChange change, boolean globalPrivacyControl) {
		Transition transition = this.transactions.execute(status -> {
			UsageDataSettings before = this.repository.lock(account.id());
			UsageDataSettings after = change.applyTo(before);
			this.repository.update(account.id(), after);
			return new Transition(before, after);
		});
		if (transition.before().anonymized() && !transition.after().anonymized() && !globalPrivacyControl) {
			this.identify.identify(account);
		}
		return transition.after();
	}

	private record Transition(UsageDataSettings before, UsageDataSettings after) {
	}

}
