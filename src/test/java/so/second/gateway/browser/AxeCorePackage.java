package so.second.gateway.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * axe-core, the accessibility checker, fetched once with the npm client into
 * {@code target/} at a pinned version and injected into pages by the tests only: the
 * gateway never serves it. Without npm or the registry, {@link #source()} answers
 * {@code null} and the axe checks are skipped (the contrast assertions still run).
 */
final class AxeCorePackage {

	static final String VERSION = "4.10.3";

	private static final Path HOME = Path.of("target", "axe-core", VERSION);

	private static String source;

	private AxeCorePackage() {
	}

	/** The text of {@code axe.min.js}, or {@code null} when it could not be fetched. */
	static synchronized String source() {
		if (source != null) {
			return source;
		}
		Path script = HOME.resolve("package").resolve("axe.min.js");
		try {
			if (!Files.isRegularFile(script)) {
				Files.createDirectories(HOME);
				Path tarball = HOME.resolve("axe-core-" + VERSION + ".tgz");
				if (!run(List.of("npm", "pack", "axe-core@" + VERSION, "--silent", "--fetch-retries=1",
						"--fetch-timeout=30000", "--pack-destination", HOME.toString()))
						|| !Files.isRegularFile(tarball)
						|| !run(List.of("tar", "xzf", tarball.toString(), "-C", HOME.toString()))) {
					return null;
				}
			}
			source = Files.isRegularFile(script) ? Files.readString(script) : null;
			return source;
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
