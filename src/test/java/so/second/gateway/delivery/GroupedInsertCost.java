package so.second.gateway.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import so.second.gateway.delivery.BacklogStore.BacklogRow;

/**
 * What PostgreSQL spends on capture's grouped insert ({@link BacklogStore#insert}, the
 * real statement): CPU of all the server's processes and WAL, per stored event, for
 * commits of 50 keyed events of the bench's size into tables that already hold a million
 * keys. A server of its own, with fsync, synchronous commit and full-page writes on, as
 * the bench runs it; with {@code --with-delivery}, the claims, deletes and vacuums of the
 * same events too. Not a test: its name matches no surefire include. Run it as
 * {@code docs/benchmarks.md} says; run it at two commits to compare a change.
 */
public final class GroupedInsertCost {

	private static final int PREFILLED_KEYS = 1_000_000;

	private static final int WARM_UP_COMMITS = 200;

	private static final int MEASURED_COMMITS = 3_000;

	private static final int EVENTS_PER_COMMIT = 50;

	private static final int USERS = 10_000;

	private static final String PREFILL_KEYS_QUERY = """
			INSERT INTO delivery_idempotency (user_id, event_uuid)
			SELECT (?::uuid[])[1 + key % ?], gen_random_uuid() FROM generate_series(1, ?) AS key
			""";

	private static final EventJson JSON = new EventJson();

	private GroupedInsertCost() {
	}

	/** Commits between two claims of delivery, with {@code --with-delivery}. */
	private static final int COMMITS_PER_CLAIM = 20;

	/**
	 * Measures and prints the cost per event.
	 * @param args {@code --without-keys} for events that carry no idempotency key (what
	 * the key itself costs is the difference); {@code --with-delivery} to claim, deliver
	 * and vacuum them as delivery does ({@link BacklogStore#claim}, a claim of all
	 * {@code COMMITS_PER_CLAIM} commits' events after each of them, on a second
	 * connection), which prints the insert's and delivery's CPU apart
	 * @throws Exception when the server cannot start or a statement fails
	 */
	public static void main(String[] args) throws Exception {
		List<String> options = List.of(args);
		boolean keyed = !options.contains("--without-keys");
		boolean delivering = options.contains("--with-delivery");
		try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
			.setServerConfig("fsync", "on")
			.setServerConfig("synchronous_commit", "on")
			.setServerConfig("full_page_writes", "on")
			.setServerConfig("shared_buffers", "128MB")
			.start()) {
			// one connection, as a writer thread holds one from the pool
			SingleConnectionDataSource dataSource = new SingleConnectionDataSource(
					postgres.getPostgresDatabase().getConnection(), true);
			Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
			JdbcClient jdbc = JdbcClient.create(dataSource);
			List<UUID> users = new ArrayList<>();
			for (int i = 0; i < USERS; i++) {
				users.add(UUID.randomUUID());
			}
			jdbc.sql(PREFILL_KEYS_QUERY).params(users.toArray(UUID[]::new), USERS, PREFILLED_KEYS).update();
			jdbc.sql("VACUUM ANALYZE delivery_idempotency").update();
			jdbc.sql("CHECKPOINT").update();
			long postmaster = parentOf(jdbc.sql("SELECT pg_backend_pid()").query(Long.class).single());

			BacklogStore store = new BacklogStore(dataSource);
			// delivery's own connection, as a claim holds one from the pool
			BacklogStore delivery = new BacklogStore(
					new SingleConnectionDataSource(postgres.getPostgresDatabase().getConnection(), true));
			Random random = new Random(1);
			for (int i = 0; i < WARM_UP_COMMITS; i++) {
				store.insert(rows(users.get(random.nextInt(USERS)), keyed));
				if (delivering && (i + 1) % COMMITS_PER_CLAIM == 0) {
					deliverAll(delivery);
				}
			}
			long walBefore = wal(jdbc);
			long ticksBefore = cpuTicks(postmaster);
			long deliveryTicks = 0;
			long stored = 0;
			for (int i = 0; i < MEASURED_COMMITS; i++) {
				stored += store.insert(rows(users.get(random.nextInt(USERS)), keyed));
				if (delivering && (i + 1) % COMMITS_PER_CLAIM == 0) {
					long before = cpuTicks(postmaster);
					deliverAll(delivery);
					deliveryTicks += cpuTicks(postmaster) - before;
				}
			}
			long ticks = cpuTicks(postmaster) - ticksBefore;
			long walBytes = wal(jdbc) - walBefore;
			// /proc counts CPU in clock ticks, 100 a second on Linux
			System.out.printf("%d %s events in %d commits: PostgreSQL %.1f us of CPU and %d bytes of WAL per event%n",
					stored, keyed ? "keyed" : "unkeyed", MEASURED_COMMITS, ticks * 10_000.0 / stored,
					walBytes / stored);
			if (delivering) {
				System.out.printf("  of which the insert %.1f us and delivery (claim, delete, vacuum) %.1f us%n",
						(ticks - deliveryTicks) * 10_000.0 / stored, deliveryTicks * 10_000.0 / stored);
			}
		}
	}

	/**
	 * Claims what is due in one batch, as if PostHog took it, and vacuums as the monitor
	 * does.
	 */
	private static void deliverAll(BacklogStore delivery) {
		delivery.claim(COMMITS_PER_CLAIM * EVENTS_PER_COMMIT, Duration.ZERO, Duration.ofMinutes(1))
			.ifPresent((held) -> {
				held.delivered(held.events());
				held.complete();
			});
		delivery.vacuumIfChurned(BacklogMonitor.VACUUM_AFTER_EVENTS);
	}

	private static List<BacklogRow> rows(UUID user, boolean keyed) {
		List<BacklogRow> rows = new ArrayList<>(EVENTS_PER_COMMIT);
		for (int i = 0; i < EVENTS_PER_COMMIT; i++) {
			UUID uuid = UUID.randomUUID();
			rows.add(new BacklogRow(uuid, JSON.write(EventJsonBenchmark.buildCompleted(uuid)),
					keyed ? new IdempotencyKey(user, uuid) : null));
		}
		return rows;
	}

	private static long wal(JdbcClient jdbc) {
		return jdbc.sql("SELECT pg_current_wal_lsn() - '0/0'").query(Long.class).single();
	}

	/**
	 * User and system CPU of the postmaster and every process it started: those running
	 * now, and those it has reaped (an autovacuum worker that ended, say), which the
	 * postmaster's own counters of waited-for children hold.
	 */
	private static long cpuTicks(long postmaster) throws IOException {
		String[] own = stat(Path.of("/proc", Long.toString(postmaster)));
		long ticks = Long.parseLong(own[13]) + Long.parseLong(own[14]);
		try (var processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path process : processes) {
				String[] stat = stat(process);
				if (stat != null && (Long.parseLong(process.getFileName().toString()) == postmaster
						|| Long.parseLong(stat[1]) == postmaster)) {
					ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
				}
			}
		}
		return ticks;
	}

	private static long parentOf(long pid) throws IOException {
		return Long.parseLong(stat(Path.of("/proc", Long.toString(pid)))[1]);
	}

	/** The fields of /proc/PID/stat after the command's name, or null if it has ended. */
	private static String[] stat(Path process) {
		try {
			String stat = Files.readString(process.resolve("stat"));
			return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		}
		catch (IOException ex) {
			return null;
		}
	}

}
