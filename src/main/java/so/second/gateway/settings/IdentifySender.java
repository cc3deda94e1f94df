package so.second.gateway.settings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import so.second.gateway.account.Account;
import so.second.gateway.account.UserLoggedIn;

/**
 * Sends the PostHog {@code $identify} of a non-anonymized user: when they switch anonymization
 * off, and at each login while it is off. Never an alias, never the anonymous id.
 */
@Component
class IdentifySender {

	private static final Logger log = LoggerFactory.getLogger(IdentifySender.class);

	private final UsageDataSettingsRepository settings;

	IdentifySender(UsageDataSettingsRepository settings) {
		this.settings = settings;
	}

	@EventListener
	void onLogin(UserLoggedIn login) {
		boolean anonymized = this.settings.find(login.account().id()).orElse(UsageDataSettings.DEFAULTS).anonymized();
		if (!anonymized && !login.globalPrivacyControl()) {
			identify(login.account());
		}
	}

	void identify(Account account) {
		// Wired to the pipeline and the delivery backlog once both land.
		log.debug("$identify for a non-anonymized user is not yet forwarded");
	}

}
