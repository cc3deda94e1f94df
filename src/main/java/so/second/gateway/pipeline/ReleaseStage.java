package so.second.gateway.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Stage 6: adds the deployment's five release properties to every event, JSON
 * {@code null} where unset. Client values under these keys never survive: the server's
 * values replace them.
 */
final class ReleaseStage {

	static final List<String> KEYS = List.of("release_version", "release_package", "release_runtime",
			"cli_launcher_version", "cli_launcher_package");

	private ReleaseStage() {
	}

	static void addTo(Map<String, Object> properties, ReleaseMetadata release) {
		properties.put("release_version", release.releaseVersion());
		properties.put("release_package", release.releasePackage());
		properties.put("release_runtime", release.releaseRuntime());
		properties.put("cli_launcher_version", release.cliLauncherVersion());
		properties.put("cli_launcher_package", release.cliLauncherPackage());
	}

}
