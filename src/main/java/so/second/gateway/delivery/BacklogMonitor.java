package so.second.gateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import so.second.gateway.delivery.BacklogStore.BacklogSum;

/**
 * Knows how big and how old the undelivered backlog is without a {@code COUNT} per
 * request: it reads both every {@code depth-refresh-interval} (the depth less often when
 * summing it takes long, see {@link #refresh()}) and adds what this instance committed
 * since. Appends ask it whether there is room ({@link #checkRoom}); the gauges
 * {@code analytics.delivery.backlog.depth}, {@code analytics.delivery.backlog.oldest.age}
 * and {@code analytics.delivery.dead.letters} read it. On a thread of its own it also
 * keeps the tables small: it prunes expired idempotency keys, and vacuums the backlog
 * after every {@link #VACUUM_AFTER_EVENTS} events this instance's deliveries removed or
 * rewrote ({@link BacklogStore#vacuumIfChurned}).
 */
final class BacklogMonitor implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BacklogMonitor.class);

	/**
	 * Delivered, rescheduled or dead-lettered events after which the backlog is vacuumed:
	 * a fraction of a second of deliveries at capture's peak on a small machine, when a
	 * vacuum of the short table it keeps takes milliseconds (a row is a commit of events,
	 * its arrays a few TOAST chunks).
	 */
	static final long VACUUM_AFTER_EVENTS = 10_000;

	private static final Duration VACUUM_CHECK_INTERVAL = Duration.ofSeconds(1);

	private final BacklogStore store;

	private final DeliveryProperties properties;

	private final Clock clock;

	private final AtomicLong committed = new AtomicLong();

	private volatile long countedDepth;

	private volatile long committedAtCount;

	private volatile Instant oldest;

	private volatile Instant oldestSummed;

	private volatile long deadLetters;

	// package-private for tests, which move it to show what the schedule reads
	volatile long nextSumAfterNanos = System.nanoTime();

	private volatile boolean refreshFailing;

	private volatile boolean vacuumFailing;

	private ScheduledExecutorService scheduler;

	private ScheduledExecutorService janitor;

	private volatile boolean running;

	BacklogMonitor(BacklogStore store, DeliveryProperties properties, MeterRegistry registry) {
		this.store = store;
		this.properties = properties;
		this.clock = Clock.systemUTC();
		Gauge.builder("analytics.delivery.backlog.depth", this, BacklogMonitor::depth)
			.description("Undelivered events in the backlog (shared by all instances), as last summed, "
					+ "plus what this instance committed since")
			.register(registry);
		Gauge
			.builder("analytics.delivery.backlog.oldest.age", this,
					(monitor) -> monitor.oldestAge().toMillis() / 1000.0)
			.description("Age of the oldest undelivered event")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("analytics.delivery.dead.letters", this, (monitor) -> monitor.deadLetters)
			.description("Events in the dead-letter table, waiting for an operator")
			.register(registry);
	}

	/** Undelivered events: the last count plus what this instance committed since. */
	long depth() {
		return this.countedDepth + (this.committed.get() - this.committedAtCount);
	}

	/** How long the oldest undelivered event has waited; zero when there is none. */
	Duration oldestAge() {
		Instant oldestNow = this.oldest;
		if (oldestNow == null) {
			return Duration.ZERO;
		}
		Duration age = Duration.between(oldestNow, this.clock.instant());
		return age.isNegative() ? Duration.ZERO : age;
	}

	long deadLetters() {
		return this.deadLetters;
	}

	/**
	 * @param incoming events about to be appended (and those already waiting for a
	 * commit)
	 * @throws BacklogFullException when they would take the backlog past a bound
	 */
	void checkRoom(long incoming) {
		if (depth() + incoming > this.properties.maxBacklog()) {
			throw new BacklogFullException(
					"The delivery backlog holds its maximum of " + this.properties.maxBacklog() + " undelivered events",
					this.properties.fullRetryAfter());
		}
		if (oldestAge().compareTo(this.properties.maxAge()) > 0) {
			throw new BacklogFullException(
					"The oldest undelivered event is older than the maximum age of " + this.properties.maxAge(),
					this.properties.fullRetryAfter());
		}
	}

	/** Called by the writer after each commit. */
	void committed(int events) {
		this.committed.addAndGet(events);
		if (events > 0 && this.oldest == null) {
			this.oldest = this.clock.instant();
		}
	}

	/** Reads depth, age and dead letters from the database now. */
	void refresh() {
		read(true);
	}

	/**
	 * What the schedule runs: reads the age and the dead letters, and the depth when the
	 * last sum of it has been over for nine times as long as it ran, or when it found the
	 * backlog past half of {@code max-backlog}, where the bound is near enough for every
	 * read to count. The sum reads every row, and a backlog that an outage let grow to
	 * many short commits (single events under a light load) takes long to read when the
	 * database has least to spare; this keeps it to a tenth of one connection. Meanwhile
	 * the depth is the last sum plus what this instance committed since: deliveries are
	 * not taken off until the next sum, so the bound errs towards full; other instances'
	 * commits are not added until then either.
	 */
	void refreshOnSchedule() {
		read(System.nanoTime() - this.nextSumAfterNanos >= 0 || depth() > this.properties.maxBacklog() / 2);
	}

	private void read(boolean sum) {
		try {
			if (sum) {
				long before = this.committed.get();
				long start = System.nanoTime();
				BacklogSum summed = this.store.sum();
				long end = System.nanoTime();
				this.nextSumAfterNanos = end + 9 * (end - start);
				this.countedDepth = summed.events();
				this.committedAtCount = before;
				this.oldestSummed = summed.oldest();
			}
			Optional<Instant> oldestById = this.store.oldestById(); // after the sum: it
																	// sees its rows
			if (oldestById.isEmpty()) {
				this.oldestSummed = null; // the backlog is empty: nothing older is left
			}
			this.deadLetters = this.store.countDeadLetters();
			// the row with the smallest id is the oldest but for the rows a split added,
			// which the last sum saw (or they were delivered since, and the age errs
			// towards old until the next sum)
			this.oldest = oldestById.map((first) -> (this.oldestSummed != null && this.oldestSummed.isBefore(first))
					? this.oldestSummed : first)
				.orElse(null);
			if (this.refreshFailing) {
				log.info("Reading the delivery backlog works again");
				this.refreshFailing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.refreshFailing) {
				log.warn("Could not read the delivery backlog's depth; keeping the last known values: {}",
						ex.toString());
				this.refreshFailing = true;
			}
		}
	}

	void vacuumBacklogIfChurned() {
		try {
			if (this.store.vacuumIfChurned(VACUUM_AFTER_EVENTS) && this.vacuumFailing) {
				log.info("Vacuuming the delivery backlog works again");
				this.vacuumFailing = false;
			}
		}
		catch (RuntimeException ex) {
			if (this.running && !this.vacuumFailing) {
				log.warn("Could not vacuum the delivery backlog; autovacuum still does: {}", ex.toString());
				this.vacuumFailing = true;
			}
		}
	}

	void pruneIdempotencyKeys() {
		try {
			int pruned = this.store.pruneIdempotencyKeys(this.properties.idempotencyWindow());
			if (pruned > 0) {
				log.debug("Pruned {} idempotency keys older than {}", pruned, this.properties.idempotencyWindow());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not prune expired idempotency keys: {}", ex.toString());
		}
	}

	@Override
	public void start() {
		refresh();
		this.running = true;
		this.scheduler = Executors.newSingleThreadScheduledExecutor(DeliveryThreads.named("delivery-monitor"));
		long refreshMillis = this.properties.depthRefreshInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::refreshOnSchedule, refreshMillis, refreshMillis,
				TimeUnit.MILLISECONDS);
		// a thread of its own: a slow prune or vacuum never holds back the depth refresh
		this.janitor = Executors.newSingleThreadScheduledExecutor(DeliveryThreads.named("delivery-janitor"));
		long pruneMillis = this.properties.idempotencyPruneInterval().toMillis();
		this.janitor.scheduleWithFixedDelay(this::pruneIdempotencyKeys, pruneMillis, pruneMillis,
				TimeUnit.MILLISECONDS);
		long vacuumMillis = VACUUM_CHECK_INTERVAL.toMillis();
		this.janitor.scheduleWithFixedDelay(this::vacuumBacklogIfChurned, vacuumMillis, vacuumMillis,
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
		if (this.janitor != null) {
			this.janitor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DeliveryThreads.WORKERS_PHASE;
	}

}
