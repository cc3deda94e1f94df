package so.second.gateway.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code posthog-js} build, fetched once with the npm client into
 * {@code target/} at a pinned version, for the one test that runs session replay with the
 * real SDK. Without npm or the registry, {@link #fetch()} answers {@code null} and that
 * test is skipped.
 */
final class PosthogJsPackage {

	static final String VERSION = "1.449.2";

	private static final Path HOME = Path.of("target", "posthog-js", VERSION);

	private PosthogJsPackage() {
	}

	/** The package's {@code dist} folder, holding {@code array.js} and the recorder. */
	static synchronized Path fetch() {
		Path dist = HOME.resolve("package").resolve("dist");
		if (Files.isRegularFile(dist.resolve("array.js"))) {
			return dist;
		}
		try {
			Files.createDirectories(HOME);
			Path tarball = HOME.resolve("posthog-js-" + VERSION + ".tgz");
			if (!run(List.of("npm", "pack", "posthog-js@" + VERSION, "--silent", "--fetch-retries=1",
					"--fetch-timeout=30000", "--pack-destination", HOME.toString())) || !Files.isRegularFile(tarball)
					|| !run(List.of("tar", "xzf", tarball.toString(), "-C", HOME.toString()))) {
				return null;
			}
			return Files.isRegularFile(dist.resolve("array.js")) ? dist : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static boolean run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return false;
			}
			return process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false; // no npm or tar on this machine
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
