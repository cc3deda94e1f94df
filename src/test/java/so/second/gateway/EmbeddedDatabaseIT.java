package so.second.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar never gets a throw-away database by accident: without
 * {@code SPRING_DATASOURCE_URL} it stops at start naming both variables, and with
 * {@code SECOND_EMBEDDED_DATABASE=true} it starts its embedded PostgreSQL and comes up.
 */
class EmbeddedDatabaseIT {

	@TempDir
	Path work;

	@Test
	void jarWithoutADatabaseStopsNamingBothVariables() throws Exception {
		ProcessBuilder builder = gateway(freePort(), freePort());
		Path log = this.work.resolve("no-database.log");
		Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the gateway should stop by itself").isTrue();
		assertThat(process.exitValue()).isNotZero();
		assertThat(Files.readString(log)).contains("SPRING_DATASOURCE_URL").contains("SECOND_EMBEDDED_DATABASE");
		assertThat(this.work.resolve("data")).doesNotExist();
	}

	@Test
	void jarWithTheEmbeddedDatabaseAskedForComesUp() throws Exception {
		int port = freePort();
		ProcessBuilder builder = gateway(port, freePort());
		builder.environment().put("SECOND_EMBEDDED_DATABASE", "true");
		Process process = builder.redirectErrorStream(true)
			.redirectOutput(this.work.resolve("embedded.log").toFile())
			.start();
		try {
			HttpClient probe = HttpClient.newHttpClient();
			await().atMost(Duration.ofSeconds(180))
				.pollInterval(Duration.ofMillis(500))
				.ignoreExceptions()
				.until(() -> {
					assertThat(process.isAlive()).as("the gateway exited").isTrue();
					return probe
						.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
								HttpResponse.BodyHandlers.discarding())
						.statusCode() == 200;
				});
			assertThat(this.work.resolve("data").resolve("PG_VERSION")).content().startsWith("16");
		}
		finally {
			process.destroy();
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	private ProcessBuilder gateway(int port, int managementPort) {
		Path jar = Path.of(System.getProperty("gateway.jar", "target/analytics-gateway.jar"));
		assumeThat(jar).as("the packaged gateway; run ./mvnw verify").exists();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toAbsolutePath().toString())
			.directory(this.work.toFile());
		Map<String, String> env = builder.environment();
		env.keySet().removeIf(name -> name.startsWith("SPRING_DATASOURCE_") || name.startsWith("SECOND_"));
		env.put("SERVER_PORT", String.valueOf(port));
		env.put("MANAGEMENT_SERVER_PORT", String.valueOf(managementPort));
		env.put("SECOND_EMBEDDED_POSTGRES_DATA_DIRECTORY", this.work.resolve("data").toString());
		return builder;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
