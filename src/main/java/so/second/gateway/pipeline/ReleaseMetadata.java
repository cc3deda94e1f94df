package so.second.gateway.pipeline;

/**
 * Release metadata of the running deployment, added to every outgoing event. Any value
 * may be {@code null}; it is then sent as JSON {@code null}.
 *
 * @param releaseVersion sent as {@code release_version}
 * @param releasePackage sent as {@code release_package}
 * @param releaseRuntime sent as {@code release_runtime}
 * @param cliLauncherVersion sent as {@code cli_launcher_version}
 * @param cliLauncherPackage sent as {@code cli_launcher_package}
 */
public record ReleaseMetadata(String releaseVersion, String releasePackage, String releaseRuntime,
		String cliLauncherVersion, String cliLauncherPackage) {

	/**
	 * Metadata with every value unset.
	 * @return metadata whose five values are {@code null}
	 */
	public static ReleaseMetadata none() {
		return new ReleaseMetadata(null, null, null, null, null);
	}

}
