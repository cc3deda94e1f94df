package so.second.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one real PostgreSQL server of a test run: a Testcontainers container where a Docker
 * engine answers, an embedded PostgreSQL process otherwise. Started on first use, stopped
 * when the JVM exits. Tests that need a clean slate ask for a {@link #freshDatabase()
 * fresh database} on it.
 */
public final class TestDatabase {

	private static final String USER = "postgres";

	private static final String PASSWORD = "postgres";

	private static Server server;

	private TestDatabase() {
	}

	/** The JDBC URL of the database that tests share by default. */
	public static synchronized String sharedUrl() {
		return server().urlOf(server().sharedDatabase());
	}

	/**
	 * A new database with the application's migrations applied, for tests of one store
	 * that need no application context.
	 */
	public static DataSource freshMigratedDatabase() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(freshDatabase());
		dataSource.setUser(username());
		dataSource.setPassword(password());
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		return dataSource;
	}

	/**
	 * A new, empty database on the shared server, for tests that must see only their own
	 * rows.
	 */
	public static synchronized String freshDatabase() {
		String name = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
		try (Connection connection = server().admin().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name, ex);
		}
		return server().urlOf(name);
	}

	public static String username() {
		return USER;
	}

	public static String password() {
		return PASSWORD;
	}

	private static Server server() {
		if (server == null) {
			server = DockerClientFactory.instance().isDockerAvailable() ? startContainer() : startEmbedded();
		}
		return server;
	}

	private static Server startContainer() {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine").withUsername(USER)
			.withPassword(PASSWORD)
			.withDatabaseName("gateway");
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
		String host = container.getHost();
		int port = container.getMappedPort(5432);
		return new Server(host, port, "gateway");
	}

	private static Server startEmbedded() {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException ex) {
					// the JVM is exiting
				}
			}));
			Server embedded = new Server("localhost", postgres.getPort(), "postgres");
			try (Connection connection = embedded.admin().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE DATABASE gateway");
			}
			return new Server("localhost", postgres.getPort(), "gateway");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL for the tests", ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not prepare the embedded PostgreSQL for the tests", ex);
		}
	}

	private record Server(String host, int port, String sharedDatabase) {

		String urlOf(String database) {
			return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + database;
		}

		DataSource admin() {
			PGSimpleDataSource dataSource = new PGSimpleDataSource();
			dataSource.setUrl(urlOf("postgres"));
			dataSource.setUser(USER);
			dataSource.setPassword(PASSWORD);
			return dataSource;
		}

	}

}
