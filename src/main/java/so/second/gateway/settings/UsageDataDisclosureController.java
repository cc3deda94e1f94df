package so.second.gateway.settings;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import so.second.gateway.operator.OperatorSettings;
import so.second.gateway.operator.PrivacyProperties;
import so.second.gateway.web.GlobalPrivacyControl;

/**
 * What the usage-data settings page tells the user beside the switches: who receives the
 * data, the operator's privacy policy, the recording time box, and whether this browser's
 * Global Privacy Control signal overrides the switches.
 */
@RestController
class UsageDataDisclosureController {

	private static final String RECIPIENT = "PostHog";

	private final OperatorSettings operator;

	private final PrivacyProperties privacy;

	UsageDataDisclosureController(OperatorSettings operator, PrivacyProperties privacy) {
		this.operator = operator;
		this.privacy = privacy;
	}

	@GetMapping("/api/settings/usage-data/disclosure")
	Disclosure disclosure(HttpServletRequest request) {
		Duration limit = this.privacy.recordingMaxDuration();
		return new Disclosure(this.operator.enabled(), RECIPIENT, this.operator.enabled() ? this.operator.host() : null,
				this.privacy.policyUrl(), limit == null ? null : limit.toSeconds(),
				GlobalPrivacyControl.requested(request));
	}

	/**
	 * @param analyticsEnabled whether this deployment forwards anything at all
	 * @param recipient who receives events and recordings
	 * @param recipientHost the PostHog host they go to; {@code null} with analytics off
	 * @param privacyPolicyUrl the operator's privacy policy; {@code null} when not set
	 * @param recordingMaxDurationSeconds how long a recording may run; {@code null} for
	 * no limit
	 * @param globalPrivacyControl whether this request carried {@code Sec-GPC: 1}, which
	 * anonymizes it whatever the switches say
	 */
	record Disclosure(boolean analyticsEnabled, String recipient, String recipientHost, String privacyPolicyUrl,
			Long recordingMaxDurationSeconds, boolean globalPrivacyControl) {
	}

}
