package so.second.gateway.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Starts a real PostgreSQL server process when it is asked for
 * ({@code SECOND_EMBEDDED_DATABASE=true}) and no {@code spring.datasource.url} is
 * configured, so {@code ./mvnw spring-boot:run} (which asks for it) works on a machine
 * with nothing but a JDK. The data lives in a local folder ({@code .data/postgres} by
 * default) and survives restarts. Without either, start-up stops with a message naming
 * both variables: a production deploy that forgot its database never gets a throw-away
 * one in its working folder.
 *
 * <p>
 * It runs as an environment post-processor, before any bean exists, and contributes the
 * datasource properties; Flyway, Hikari and Spring Session then configure themselves as
 * they would against any other PostgreSQL.
 */
public final class EmbeddedPostgresEnvironment implements EnvironmentPostProcessor, Ordered {

	static final String DATA_DIRECTORY_PROPERTY = "second.embedded-postgres.data-directory";

	/** {@code SECOND_EMBEDDED_DATABASE}: whether to start the embedded PostgreSQL. */
	static final String ENABLED_PROPERTY = "second.embedded-database";

	static final String DEFAULT_DATA_DIRECTORY = ".data/postgres";

	private static final Object LOCK = new Object();

	private static EmbeddedPostgres running;

	private final Log log;

	public EmbeddedPostgresEnvironment(DeferredLogFactory logFactory) {
		this.log = logFactory.getLog(EmbeddedPostgresEnvironment.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
			return;
		}
		if (!environment.getProperty(ENABLED_PROPERTY, Boolean.class, false)) {
			throw new NoDatabaseConfiguredException();
		}
		Path dataDirectory = Path.of(environment.getProperty(DATA_DIRECTORY_PROPERTY, DEFAULT_DATA_DIRECTORY))
			.toAbsolutePath()
			.normalize();
		EmbeddedPostgres postgres = start(dataDirectory);
		environment.getPropertySources()
			.addFirst(new MapPropertySource("embeddedPostgres",
					Map.of("spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"),
							"spring.datasource.username", "postgres", "spring.datasource.password", "postgres")));
	}

	private EmbeddedPostgres start(Path dataDirectory) {
		synchronized (LOCK) {
			if (running != null) {
				return running;
			}
			try {
				Files.createDirectories(dataDirectory);
				stopLeftoverServer(dataDirectory);
				this.log.info("No SPRING_DATASOURCE_URL set: starting an embedded PostgreSQL with its data in "
						+ dataDirectory);
				running = EmbeddedPostgres.builder()
					.setDataDirectory(dataDirectory)
					.setCleanDataDirectory(false)
					.setPGStartupWait(Duration.ofSeconds(60))
					// The library tunes for throw-away test databases; this one
					// keeps accepted events, so a commit must be on disk before
					// capture answers 202.
					.setServerConfig("fsync", "on")
					.setServerConfig("synchronous_commit", "on")
					.start();
				this.log.info("Embedded PostgreSQL is listening on 127.0.0.1:" + running.getPort());
				EmbeddedPostgres started = running;
				Runtime.getRuntime().addShutdownHook(new Thread(() -> close(started), "embedded-postgres-stop"));
				return running;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory, ex);
			}
		}
	}

	/**
	 * A gateway killed with SIGKILL leaves its PostgreSQL child running and holding the
	 * data directory; stop it so this start can take the directory over.
	 */
	private void stopLeftoverServer(Path dataDirectory) throws IOException {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		Optional<ProcessHandle> leftover = Files.readAllLines(pidFile, StandardCharsets.UTF_8)
			.stream()
			.findFirst()
			.map(String::trim)
			.filter(line -> line.matches("\\d+"))
			.flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)))
			.filter(ProcessHandle::isAlive)
			.filter(process -> process.info().command().map(command -> command.contains("postgres")).orElse(false));
		if (leftover.isPresent()) {
			this.log.warn("Stopping a PostgreSQL left running on " + dataDirectory + " by an earlier run (pid "
					+ leftover.get().pid() + ")");
			leftover.get().destroy();
			try {
				leftover.get().onExit().get(30, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				leftover.get().destroyForcibly();
			}
		}
	}

	private static void close(EmbeddedPostgres postgres) {
		try {
			postgres.close();
		}
		catch (IOException ex) {
			// the JVM is going away; PostgreSQL's own shutdown
			// will finish or the next start cleans up
		}
	}

	@Override
	public int getOrder() {
		// after the config files and the environment variables are read
		return Ordered.LOWEST_PRECEDENCE;
	}

}
