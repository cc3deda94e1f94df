package so.second.gateway.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * axe-core, the accessibility checker, at a pinned version ({@link NpmPackage}), injected
 * into pages by the tests only: the gateway never serves it. Without npm or the registry,
 * {@link #source()} answers {@code null} and the axe checks are skipped (the contrast
 * assertions still run).
 */
final class AxeCorePackage {

	static final String VERSION = "4.10.3";

	private static String source;

	private AxeCorePackage() {
	}

	/** The text of {@code axe.min.js}, or {@code null} when it could not be fetched. */
	static synchronized String source() {
		if (source == null) {
			Path folder = NpmPackage.fetch("axe-core", VERSION, "axe.min.js");
			try {
				source = (folder != null) ? Files.readString(folder.resolve("axe.min.js")) : null;
			}
			catch (IOException ex) {
				return null;
			}
		}
		return source;
	}

}
