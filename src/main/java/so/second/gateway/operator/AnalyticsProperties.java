package so.second.gateway.operator;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The raw operator settings as bound from {@code application.yml}, where each contract
 * environment variable is mapped to one property. {@link OperatorSettings} is the
 * validated form the rest of the gateway uses.
 *
 * @param defaultToken the built-in release default token, a property of the build
 * @param token {@code SECOND_POSTHOG_TOKEN}
 * @param host {@code SECOND_POSTHOG_HOST}
 * @param scriptUrl {@code SECOND_POSTHOG_SCRIPT_URL}
 * @param posthogDisabled {@code SECOND_POSTHOG_DISABLED}
 * @param telemetryDisabled {@code SECOND_TELEMETRY_DISABLED}
 * @param releaseVersion {@code SECOND_RELEASE_VERSION}
 * @param releasePackage {@code SECOND_RELEASE_PACKAGE}
 * @param releaseRuntime {@code SECOND_RELEASE_RUNTIME}
 * @param cliLauncherVersion {@code SECOND_CLI_LAUNCHER_VERSION}
 * @param cliLauncherPackage {@code SECOND_CLI_LAUNCHER_PACKAGE}
 */
@ConfigurationProperties("second.analytics")
public record AnalyticsProperties(String defaultToken, String token, String host, String scriptUrl,
		String posthogDisabled, String telemetryDisabled, String releaseVersion, String releasePackage,
		String releaseRuntime, String cliLauncherVersion, String cliLauncherPackage) {

}
