package so.second.gateway.browser;

import java.nio.file.Path;

/**
 * The real {@code posthog-js} build at a pinned version ({@link NpmPackage}), for the one
 * test that runs session replay with the real SDK. Without npm or the registry,
 * {@link #fetch()} answers {@code null} and that test is skipped.
 */
final class PosthogJsPackage {

	static final String VERSION = "1.449.2";

	private PosthogJsPackage() {
	}

	/** The package's {@code dist} folder, holding {@code array.js} and the recorder. */
	static Path fetch() {
		Path folder = NpmPackage.fetch("posthog-js", VERSION, "dist/array.js");
		return (folder != null) ? folder.resolve("dist") : null;
	}

}
