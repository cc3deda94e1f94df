package so.second.gateway.operator;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import so.second.gateway.pipeline.ReleaseMetadata;

/**
 * The operator's analytics settings, validated: whether analytics are on for this
 * deployment, where PostHog is, and the release metadata added to every event.
 *
 * @param enabled whether events are forwarded at all
 * @param disabledReason why analytics are off, for the start-up log; {@code null} when
 * enabled
 * @param token the public PostHog project token; {@code null} when there is none
 * @param host the PostHog ingestion host, without a trailing slash
 * @param scriptUrl where browsers load {@code posthog-js} from for session replay
 * @param release the release metadata
 */
public record OperatorSettings(boolean enabled, String disabledReason, String token, String host, String scriptUrl,
		ReleaseMetadata release) {

	/** PostHog's US cloud, the host when none is configured. */
	public static final String DEFAULT_HOST = "https://us.i.posthog.com";

	/** The command-line flags that turn analytics off for one run. */
	public static final Set<String> DISABLING_FLAGS = Set.of("disable-telemetry", "no-analytics");

	// A project token is "phc_" and a URL-safe run of characters;
	// PostHog's personal API keys ("phx_") are secrets and must
	// never reach the config route that hands the token to browsers.
	private static final Pattern PROJECT_TOKEN = Pattern.compile("phc_[A-Za-z0-9_-]{1,200}");

	private static final Set<String> TRUE_WORDS = Set.of("1", "true", "yes");

	/**
	 * Validates the raw settings.
	 * @param properties the bound properties
	 * @param commandLineOptions the names of the {@code --option}s the gateway was
	 * started with
	 * @return the settings in force
	 * @throws InvalidOperatorSettingException naming the variable at fault
	 */
	public static OperatorSettings from(AnalyticsProperties properties, Set<String> commandLineOptions) {
		String host = validUrl("SECOND_POSTHOG_HOST", blankToNull(properties.host()), DEFAULT_HOST);
		String scriptUrl = validUrl("SECOND_POSTHOG_SCRIPT_URL", blankToNull(properties.scriptUrl()),
				defaultScriptUrl(host));
		String token = validToken(properties);
		ReleaseMetadata release = new ReleaseMetadata(blankToNull(properties.releaseVersion()),
				blankToNull(properties.releasePackage()), blankToNull(properties.releaseRuntime()),
				blankToNull(properties.cliLauncherVersion()), blankToNull(properties.cliLauncherPackage()));
		String disabledReason = disabledReason(properties, commandLineOptions, token);
		return new OperatorSettings(disabledReason == null, disabledReason, token, host, scriptUrl, release);
	}

	/**
	 * Where PostHog's own snippet loads {@code posthog-js} for an ingestion host:
	 * {@code us.i.posthog.com} becomes {@code us-assets.i.posthog.com}, any other host
	 * serves it itself.
	 */
	static String defaultScriptUrl(String host) {
		return host.replace(".i.posthog.com", "-assets.i.posthog.com") + "/static/array.js";
	}

	private static String disabledReason(AnalyticsProperties properties, Set<String> options, String token) {
		if (isTrue(properties.posthogDisabled())) {
			return "SECOND_POSTHOG_DISABLED is set";
		}
		if (isTrue(properties.telemetryDisabled())) {
			return "SECOND_TELEMETRY_DISABLED is set";
		}
		for (String flag : DISABLING_FLAGS) {
			if (options.contains(flag)) {
				return "the gateway was started with --" + flag;
			}
		}
		if (token == null) {
			return "no PostHog project token: set SECOND_POSTHOG_TOKEN (this build has no built-in default)";
		}
		return null;
	}

	private static boolean isTrue(String value) {
		return value != null && TRUE_WORDS.contains(value.trim().toLowerCase(Locale.ROOT));
	}

	private static String validToken(AnalyticsProperties properties) {
		String configured = blankToNull(properties.token());
		if (configured != null) {
			if (!PROJECT_TOKEN.matcher(configured).matches()) {
				throw new InvalidOperatorSettingException("SECOND_POSTHOG_TOKEN",
						configured.startsWith("phx_")
								? "holds a PostHog personal API key, a secret; use the public project token (phc_…)"
								: "is not a PostHog project token (expected phc_ followed by letters and digits)");
			}
			return configured;
		}
		String builtIn = blankToNull(properties.defaultToken());
		if (builtIn != null && !PROJECT_TOKEN.matcher(builtIn).matches()) {
			throw new InvalidOperatorSettingException("the built-in release token (second.analytics.default-token)",
					"is not a PostHog project token (expected phc_ followed by letters and digits)");
		}
		return builtIn;
	}

	private static String validUrl(String variable, String value, String fallback) {
		if (value == null) {
			return fallback;
		}
		URI uri;
		try {
			uri = new URI(value.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidOperatorSettingException(variable, "is not a URL");
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
				|| uri.getRawFragment() != null) {
			throw new InvalidOperatorSettingException(variable,
					"must be an absolute https:// URL with a host and no credentials, query or fragment");
		}
		if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(uri.getHost()))) {
			throw new InvalidOperatorSettingException(variable,
					"must use https:// (plain http:// is allowed only to a loopback address)");
		}
		String text = uri.toString();
		return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
	}

	private static boolean isLoopback(String host) {
		String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		if (bare.equalsIgnoreCase("localhost")) {
			return true;
		}
		if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
			// never resolve a name here: only literal addresses count as loopback
			return false;
		}
		try {
			return InetAddress.getByName(bare).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static String blankToNull(String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}

}
