package so.second.gateway.operator;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the operator tells users about their usage data, and how long a screen recording
 * may run: both shown on the usage-data settings page, the time box also enforced by the
 * gateway. Validated when bound, so a bad value stops start-up naming its variable.
 *
 * @param policyUrl {@code SECOND_PRIVACY_POLICY_URL}: the operator's privacy policy, an
 * {@code https://} or {@code http://} URL or a path on this site; {@code null} when unset
 * @param recordingMaxDuration {@code SECOND_RECORDING_MAX_DURATION}: how long screen
 * recording stays on before the gateway turns it off (and anonymization back on);
 * {@code null}, the default, for no limit
 */
@ConfigurationProperties("second.privacy")
public record PrivacyProperties(String policyUrl, Duration recordingMaxDuration) {

	public PrivacyProperties {
		policyUrl = validPolicyUrl(policyUrl);
		if (recordingMaxDuration != null && recordingMaxDuration.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new InvalidOperatorSettingException("SECOND_RECORDING_MAX_DURATION",
					"must be at least one second (e.g. 30m, 2h), or unset for no limit");
		}
	}

	private static String validPolicyUrl(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String url = value.trim();
		if (url.startsWith("/") && !url.startsWith("//")) {
			return url;
		}
		try {
			URI uri = new URI(url);
			String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
			if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null
					&& uri.getRawUserInfo() == null) {
				return url;
			}
		}
		catch (URISyntaxException ex) {
			// reported below
		}
		throw new InvalidOperatorSettingException("SECOND_PRIVACY_POLICY_URL",
				"must be an https:// (or http://) URL without credentials, or a path on this site starting with /");
	}

}
