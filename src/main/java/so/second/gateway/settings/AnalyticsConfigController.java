package so.second.gateway.settings;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import so.second.gateway.account.Account;
import so.second.gateway.operator.OperatorSettings;
import so.second.gateway.web.GlobalPrivacyControl;

/**
 * Tells the browser whether analytics are on and, only when the user turned screen
 * recording on, what it needs to start PostHog session replay (docs/api.md, analytics
 * config).
 */
@RestController
class AnalyticsConfigController {

	private final UsageDataSettingsService settings;

	private final OperatorSettings operator;

	AnalyticsConfigController(UsageDataSettingsService settings, OperatorSettings operator) {
		this.settings = settings;
		this.operator = operator;
	}

	@GetMapping("/api/analytics/config")
	AnalyticsConfig config(Account account, HttpServletRequest request) {
		UsageDataSettings stored = this.settings.current(account.id());
		// Global Privacy Control makes the request anonymized whatever the setting, so
		// replay must not start from it.
		UsageDataSettings effective = GlobalPrivacyControl.requested(request) ? UsageDataSettings.DEFAULTS : stored;
		if (this.operator.enabled() && effective.screenRecording()) {
			return new AnalyticsConfig(true, effective.anonymized(), true, account.id().toString(),
					new PostHogConfig(this.operator.token(), this.operator.host(), this.operator.scriptUrl()),
					effective.screenRecordingEndsAt());
		}
		return new AnalyticsConfig(this.operator.enabled(), effective.anonymized(), effective.screenRecording(), null,
				null, null);
	}

	/**
	 * The config answer; {@code screenRecordingEndsAt} only while a time-boxed recording
	 * runs, so the browser can stop replay when it ends.
	 */
	record AnalyticsConfig(boolean enabled, boolean anonymized, boolean screenRecording, String distinctId,
			PostHogConfig posthog, @JsonInclude(JsonInclude.Include.NON_NULL) Instant screenRecordingEndsAt) {
	}

	record PostHogConfig(String token, String host, String scriptUrl) {
	}

}
