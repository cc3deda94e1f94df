package so.second.gateway.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An npm package at a pinned version, fetched once with the npm client ({@code npm pack})
 * into {@code target/<name>/<version>/package}, for the tests only. Without npm, tar or
 * the registry, {@link #fetch} answers {@code null} and the caller skips what needs it.
 */
final class NpmPackage {

	private NpmPackage() {
	}

	/**
	 * The unpacked package folder, fetched when it is not there yet.
	 * @param name the package name
	 * @param version its exact version
	 * @param marker a file inside the package that shows it is complete
	 * @return the package folder, or {@code null} when it could not be fetched
	 */
	static synchronized Path fetch(String name, String version, String marker) {
		Path home = Path.of("target", name, version);
		Path folder = home.resolve("package");
		if (Files.isRegularFile(folder.resolve(marker))) {
			return folder;
		}
		try {
			Files.createDirectories(home);
			Path tarball = home.resolve(name + "-" + version + ".tgz");
			if (!run(List.of("npm", "pack", name + "@" + version, "--silent", "--fetch-retries=1",
					"--fetch-timeout=30000", "--pack-destination", home.toString())) || !Files.isRegularFile(tarball)
					|| !run(List.of("tar", "xzf", tarball.toString(), "-C", home.toString()))) {
				return null;
			}
			return Files.isRegularFile(folder.resolve(marker)) ? folder : null;
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
