package so.second.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

import so.second.gateway.delivery.BacklogStore.BacklogRow;

/**
 * The {@link EventBacklog}: durable appends with group commit. A request thread turns its
 * events into rows, queues them and waits; a small pool of writer threads takes turns:
 * one gathers what is waiting and what arrives within the commit linger, while the others
 * insert their groups, each with one statement in one transaction, and then wake all
 * those requests. Under load many capture requests share one commit, so durability does
 * not cost a transaction (and an fsync) per event; when idle, a lone request waits only
 * for its own commit.
 *
 * <p>
 * On shutdown the writers stop taking new appends and finish every queued one before they
 * end: a request that was told "accepted" was committed.
 */
final class GroupCommitBacklog implements EventBacklog, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(GroupCommitBacklog.class);

	private static final long IDLE_POLL_MILLIS = 100;

	private final BacklogStore store;

	private final BacklogMonitor monitor;

	private final DeliveryMetrics metrics;

	private final DeliveryProperties properties;

	private final EventJson json = new EventJson();

	private final BlockingQueue<PendingAppend> queue;

	private final AtomicLong queuedEvents = new AtomicLong();

	/**
	 * Events queued and not yet taken into a group: with the lingering writer's, whether
	 * a commit's worth is there.
	 */
	private final AtomicLong waitingEvents = new AtomicLong();

	/** Held by the writer that takes appends into its group. */
	private final ReentrantLock gathering = new ReentrantLock();

	private final AtomicBoolean writeFailing = new AtomicBoolean();

	private final List<Thread> writers = new ArrayList<>();

	private volatile Runnable afterCommit = () -> {
	};

	/**
	 * The writer sleeping through its commit linger, if one is, and its group's events.
	 */
	private volatile Thread lingering;

	private volatile int lingeringEvents;

	private volatile boolean accepting;

	private volatile boolean running;

	GroupCommitBacklog(BacklogStore store, BacklogMonitor monitor, DeliveryMetrics metrics,
			DeliveryProperties properties) {
		Assert.notNull(store, "store must not be null");
		Assert.notNull(monitor, "monitor must not be null");
		this.store = store;
		this.monitor = monitor;
		this.metrics = metrics;
		this.properties = properties;
		this.queue = new ArrayBlockingQueue<>(properties.appendQueueCapacity());
	}

	@Override
	public void append(List<BacklogEvent> events) {
		Assert.notNull(events, "events must not be null");
		if (events.isEmpty()) {
			return;
		}
		List<BacklogRow> rows = rowsOf(events);
		if (!this.accepting) {
			this.metrics.appendRefused("stopping");
			throw new BacklogUnavailableException("The gateway is stopping", null,
					this.properties.unavailableRetryAfter());
		}
		try {
			this.monitor.checkRoom(this.queuedEvents.get() + rows.size());
		}
		catch (BacklogFullException ex) {
			this.metrics.appendRefused("full");
			throw ex;
		}
		PendingAppend pending = new PendingAppend(rows, new CompletableFuture<>());
		this.queuedEvents.addAndGet(rows.size());
		long waiting = this.waitingEvents.addAndGet(rows.size());
		if (!this.queue.offer(pending)) {
			this.queuedEvents.addAndGet(-rows.size());
			this.waitingEvents.addAndGet(-rows.size());
			this.metrics.appendRefused("unavailable");
			throw new BacklogUnavailableException("Too many appends are waiting for the database", null,
					this.properties.unavailableRetryAfter());
		}
		// a commit's worth with what the lingering writer holds: it need not wait longer
		Thread lingeringWriter = this.lingering;
		if (lingeringWriter != null && waiting + this.lingeringEvents >= this.properties.maxEventsPerCommit()) {
			LockSupport.unpark(lingeringWriter);
		}
		await(pending);
	}

	private void await(PendingAppend pending) {
		Duration retryAfter = this.properties.unavailableRetryAfter();
		try {
			pending.committed().get(this.properties.appendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			// A writer that has not taken it yet will skip it; one that has may still
			// commit it, which is why clients retry with the same uuid (idempotency key).
			pending.committed().cancel(false);
			this.metrics.appendRefused("unavailable");
			throw new BacklogUnavailableException("The database did not commit in time", ex, retryAfter);
		}
		catch (ExecutionException ex) {
			this.metrics.appendRefused("unavailable");
			throw new BacklogUnavailableException("The database could not store the events", ex.getCause(), retryAfter);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			pending.committed().cancel(false);
			throw new BacklogUnavailableException("Interrupted while waiting for the commit", ex, retryAfter);
		}
	}

	private List<BacklogRow> rowsOf(List<BacklogEvent> events) {
		List<BacklogRow> rows = new ArrayList<>(events.size());
		Set<IdempotencyKey> keys = new HashSet<>();
		for (BacklogEvent each : events) {
			Assert.isTrue(each != null && each.event() != null, "events must not contain null");
			IdempotencyKey key = each.idempotencyKey();
			if (key != null && !keys.add(key)) {
				continue; // the same event twice in one request is the same event
			}
			rows.add(new BacklogRow(each.event().uuid(), this.json.write(each.event()), key));
		}
		return rows;
	}

	private void writeLoop() {
		List<PendingAppend> group = new ArrayList<>();
		while (true) {
			group.clear();
			boolean interrupted;
			// One writer gathers at a time while the others commit: two gathering at
			// once would split the same appends into two smaller commits.
			try {
				this.gathering.lockInterruptibly();
			}
			catch (InterruptedException ex) {
				// nothing in the gateway interrupts a writer; if something does, stop:
				// what is still queued is committed by stop()
				Thread.currentThread().interrupt();
				return;
			}
			try {
				if (!this.accepting && this.queue.isEmpty()) {
					return; // stopping: the writers end one after the other, at once
				}
				PendingAppend first = taken(this.queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS));
				if (first == null) {
					if (!this.accepting) {
						return;
					}
					continue;
				}
				group.add(first);
				interrupted = gather(group, first.rows().size());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				this.gathering.unlock();
			}
			write(group);
			if (interrupted) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Adds to the group what is waiting, then what arrived within {@code commit-linger},
	 * up to {@code max-events-per-commit} events. The writer sleeps through the linger
	 * and takes what came when it wakes, instead of waiting on the queue: a queue's wait
	 * woke the writer for every append that arrived, a context switch each, where one
	 * commit gathers several of them (docs/benchmarks.md). An append that brings the
	 * group and the queue to {@code max-events-per-commit} wakes it early
	 * ({@link #append}).
	 * @return whether the thread was interrupted meanwhile
	 */
	private boolean gather(List<PendingAppend> group, int events) {
		long lingerUntil = System.nanoTime() + this.properties.commitLinger().toNanos();
		this.lingering = Thread.currentThread();
		try {
			while (true) {
				events = takeWaiting(group, events);
				this.lingeringEvents = events;
				long left = lingerUntil - System.nanoTime();
				if (events >= this.properties.maxEventsPerCommit() || left <= 0) {
					return false;
				}
				// An append queued since the take may have read the old count: take it
				// before sleeping.
				if (!this.queue.isEmpty()) {
					continue;
				}
				LockSupport.parkNanos(this, left);
				if (Thread.interrupted()) {
					takeWaiting(group, events);
					return true;
				}
			}
		}
		finally {
			this.lingering = null;
		}
	}

	/** Adds what is waiting to the group, without waiting, up to a commit's events. */
	private int takeWaiting(List<PendingAppend> group, int events) {
		while (events < this.properties.maxEventsPerCommit()) {
			PendingAppend next = taken(this.queue.poll());
			if (next == null) {
				break;
			}
			group.add(next);
			events += next.rows().size();
		}
		return events;
	}

	/** An append a writer took from the queue (or none). */
	private PendingAppend taken(PendingAppend append) {
		if (append != null) {
			this.waitingEvents.addAndGet(-append.rows().size());
		}
		return append;
	}

	/** Inserts the group in one transaction and answers every waiting request. */
	void write(List<PendingAppend> group) {
		List<PendingAppend> live = new ArrayList<>(group.size());
		List<BacklogRow> rows = new ArrayList<>();
		Set<IdempotencyKey> keys = new HashSet<>();
		int queued = 0;
		for (PendingAppend pending : group) {
			queued += pending.rows().size();
			if (pending.committed().isDone()) {
				continue; // its request gave up waiting and answered 503
			}
			live.add(pending);
			for (BacklogRow row : pending.rows()) {
				if (row.idempotencyKey() == null || keys.add(row.idempotencyKey())) {
					rows.add(row);
				}
			}
		}
		if (rows.isEmpty()) {
			this.queuedEvents.addAndGet(-queued);
			live.forEach((pending) -> pending.committed().complete(null));
			return;
		}
		try {
			long start = System.nanoTime();
			int inserted = this.store.insert(rows);
			// the monitor's view first: a woken request that appends
			// again must see these as stored
			this.monitor.committed(inserted);
			this.queuedEvents.addAndGet(-queued);
			this.metrics.committed(live.size(), inserted, Duration.ofNanos(System.nanoTime() - start));
			if (this.writeFailing.compareAndSet(true, false)) {
				log.info("Storing accepted events works again");
			}
			live.forEach((pending) -> pending.committed().complete(null));
			if (inserted > 0) {
				this.afterCommit.run();
			}
		}
		catch (RuntimeException ex) {
			this.queuedEvents.addAndGet(-queued);
			if (this.writeFailing.compareAndSet(false, true)) {
				log.warn("Could not store accepted events; capture answers 503 until the database is back: {}",
						ex.toString());
			}
			live.forEach((pending) -> pending.committed().completeExceptionally(ex));
		}
	}

	/** Runs on the writer thread after each commit that stored events. */
	void afterCommit(Runnable listener) {
		Assert.notNull(listener, "listener must not be null");
		this.afterCommit = listener;
	}

	@Override
	public void start() {
		this.accepting = true;
		for (int i = 1; i <= this.properties.writerThreads(); i++) {
			Thread writer = DeliveryThreads.named("delivery-writer-" + i).newThread(this::writeLoop);
			this.writers.add(writer);
			writer.start();
		}
		this.running = true;
	}

	/**
	 * Stops taking appends, then lets the writers commit everything already queued before
	 * they end. An append that raced past the check and was queued before the writers
	 * ended is committed here, on the stopping thread; one queued after that is never
	 * taken: its request times out and is answered 503, not accepted.
	 */
	@Override
	public void stop() {
		this.accepting = false;
		for (Thread writer : this.writers) {
			try {
				writer.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.writers.clear();
		List<PendingAppend> leftovers = new ArrayList<>();
		this.queue.drainTo(leftovers);
		leftovers.forEach(this::taken);
		if (!leftovers.isEmpty()) {
			write(leftovers);
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DeliveryThreads.WRITER_PHASE;
	}

	/** One append call waiting for its commit. */
	record PendingAppend(List<BacklogRow> rows, CompletableFuture<Void> committed) {
	}

}
