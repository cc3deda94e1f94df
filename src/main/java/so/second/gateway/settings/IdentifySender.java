package so.second.gateway.settings;

import java.time.Clock;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import so.second.gateway.account.Account;
import so.second.gateway.account.UserLoggedIn;
import so.second.gateway.delivery.BacklogEvent;
import so.second.gateway.delivery.EventBacklog;
import so.second.gateway.pipeline.CapturePipeline;

/**
 * Sends the PostHog {@code $identify} of a non-anonymized user: when they switch
 * anonymization off, and at each login while it is off. Never an alias, never the
 * anonymous id. With analytics off the sink drops it (delivery's {@code NoDelivery}).
 */
@Component
class IdentifySender {

	private static final Logger log = LoggerFactory.getLogger(IdentifySender.class);

	private final UsageDataSettingsRepository settings;

	private final CapturePipeline pipeline;

	private final EventBacklog backlog;

	private final Clock clock;

	private final RecordingTimeBox timeBox;

	IdentifySender(UsageDataSettingsRepository settings, CapturePipeline pipeline, EventBacklog backlog, Clock clock,
			RecordingTimeBox timeBox) {
		this.settings = settings;
		this.timeBox = timeBox;
		this.pipeline = pipeline;
		this.backlog = backlog;
		this.clock = clock;
	}

	@EventListener
	void onLogin(UserLoggedIn login) {
		if (login.globalPrivacyControl()) {
			return;
		}
		// A recording the time box ended means anonymized again, so no $identify.
		StoredSettings stored = this.settings.find(login.account().id()).orElse(StoredSettings.DEFAULTS);
		boolean anonymized = this.timeBox.apply(stored, this.clock.instant()).anonymized();
		if (!anonymized) {
			identify(login.account());
		}
	}

	void identify(Account account) {
		try {
			this.backlog.append(List.of(BacklogEvent.once(this.pipeline.identify(account.id().toString(),
					account.email(), account.name(), this.clock.instant()))));
		}
		catch (RuntimeException ex) {
			// The settings change or login stands; only the person profile update is
			// late. The next login while non-anonymized sends it again.
			log.warn("Could not queue $identify for a user: {}", ex.getMessage());
		}
	}

}
