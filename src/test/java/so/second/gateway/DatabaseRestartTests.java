package so.second.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.GatewayInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL failing under concurrent traffic, the way operators see it: its backends
 * terminated, then a fast stop and a start on the same data. Every answer in between is a
 * 202 or a 503 problem with {@code Retry-After}, never a 500 or a broken answer, and the
 * gateway recovers by itself.
 */
class DatabaseRestartTests {

	private static final int USERS = 4;

	@TempDir
	Path dataDirectory;

	@Test
	void terminatedBackendsAndARestartUnderLoadAnswerOnly202Or503() throws Exception {
		int port = freePort();
		EmbeddedPostgres postgres = startPostgres(port);
		String url = "jdbc:postgresql://localhost:" + port + "/postgres";
		List<Answer> answers = new ArrayList<>();
		try (GatewayInstance gateway = GatewayInstance.start(url, "--second.analytics.token=phc_RestartTestToken0123",
				"--second.analytics.host=http://127.0.0.1:9", "--second.delivery.drain=true")) {
			List<ApiClient> browsers = new ArrayList<>();
			for (int i = 0; i < USERS; i++) {
				ApiClient browser = gateway.newBrowser();
				browser.signUpAndOnboard();
				browser.csrfToken();
				browsers.add(browser);
			}
			Load load = Load.start(browsers);
			try {
				for (int round = 0; round < 3; round++) {
					int before = load.count();
					terminateBackends(url);
					await().atMost(Duration.ofSeconds(30)).until(() -> load.count() >= before + 40);
				}
				postgres.close();
				int before = load.count();
				await().atMost(Duration.ofSeconds(30)).until(() -> load.count() >= before + 8);
				postgres = startPostgres(port);
				await().atMost(Duration.ofSeconds(60)).until(load::lastWasAccepted);
			}
			finally {
				answers.addAll(load.stop());
			}
		}
		finally {
			postgres.close();
		}
		assertThat(answers).extracting(Answer::status).containsOnly(202, 503).contains(202, 503);
		assertThat(answers).filteredOn(answer -> answer.status() == 503)
			.allSatisfy(answer -> assertThat(answer.problemWithRetryAfter()).isTrue());
	}

	/**
	 * Starts PostgreSQL on the test's data directory, keeping what an earlier start
	 * stored.
	 */
	private EmbeddedPostgres startPostgres(int port) throws IOException {
		return EmbeddedPostgres.builder()
			.setPort(port)
			.setDataDirectory(this.dataDirectory)
			.setCleanDataDirectory(false)
			.start();
	}

	private static void terminateBackends(String url) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
					+ "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'");
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** What one capture request got: its status, or -1 when no whole answer came. */
	private record Answer(int status, boolean problemWithRetryAfter) {

		static Answer of(Reply reply) {
			return new Answer(reply.status(), reply.isProblem() && reply.header("Retry-After").isPresent());
		}

	}

	/** One thread per signed-in browser, capturing as fast as answers come. */
	private static final class Load {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();

		private final AtomicInteger lastStatus = new AtomicInteger();

		private final ExecutorService threads;

		private final List<Future<?>> workers = new ArrayList<>();

		private Load(List<ApiClient> browsers) {
			this.threads = Executors.newFixedThreadPool(browsers.size());
			for (ApiClient browser : browsers) {
				this.workers.add(this.threads.submit(() -> drive(browser)));
			}
		}

		static Load start(List<ApiClient> browsers) {
			return new Load(browsers);
		}

		private void drive(ApiClient browser) {
			String anonymousId = "anon_" + UUID.randomUUID();
			while (this.running.get()) {
				Answer answer;
				try {
					String token = browser.csrfToken();
					answer = Answer.of(browser.send("POST", "/api/analytics/capture",
							Map.of("event", "page viewed", "anonymousId", anonymousId), Map.of("X-XSRF-TOKEN", token),
							false));
				}
				catch (IllegalStateException ex) {
					answer = new Answer(-1, false);
				}
				this.answers.add(answer);
				this.lastStatus.set(answer.status());
			}
		}

		int count() {
			return this.answers.size();
		}

		boolean lastWasAccepted() {
			return this.lastStatus.get() == 202;
		}

		List<Answer> stop() throws Exception {
			this.running.set(false);
			for (Future<?> worker : this.workers) {
				worker.get();
			}
			this.threads.shutdown();
			return List.copyOf(this.answers);
		}

	}

}
