package so.second.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import so.second.gateway.delivery.BacklogStore.HeldBatch;

/**
 * Drains the backlog into PostHog. One poller thread claims due events in batches, each
 * held locked by a transaction of its own until PostHog has answered for all of it
 * ({@code FOR UPDATE SKIP LOCKED}, so any number of instances share one backlog without
 * sending an event twice, and a crashed instance's batch is due again at once), and hands
 * each batch to the {@link PostHogClient}. A short batch lingers: due events are claimed
 * once a full batch is due or the oldest has waited {@code linger}, so PostHog gets few
 * big requests under load, and a commit on this instance schedules a look right after its
 * linger, so a lone event still leaves at once. PostHog's answer goes to the
 * {@link DeliveryPolicy}, which decides what becomes of the batch (delete, retry later,
 * halve, dead-letter, pause); this class carries that out and keeps the loop, the
 * hold-off and the lifecycle. No thread sleeps on a retry: a failed batch gets a time in
 * the database, not a waiting thread.
 */
final class DeliveryWorkers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorkers.class);

	private final BacklogStore store;

	private final PostHogClient posthog;

	private final DeliveryStatus status;

	private final DeliveryMetrics metrics;

	private final DeliveryProperties properties;

	private final DeliveryPolicy policy;

	private final Set<Claim> inFlight = ConcurrentHashMap.newKeySet();

	private final Object idle = new Object();

	private volatile long holdUntilNanos = System.nanoTime();

	private volatile long nextProbeNanos = System.nanoTime();

	private volatile boolean claimFailing;

	private final AtomicBoolean wakeUpPending = new AtomicBoolean();

	private volatile boolean stopping;

	private volatile boolean running;

	private ScheduledExecutorService poller;

	DeliveryWorkers(BacklogStore store, PostHogClient posthog, DeliveryStatus status, DeliveryMetrics metrics,
			DeliveryProperties properties, GroupCommitBacklog backlog) {
		this.store = store;
		this.posthog = posthog;
		this.status = status;
		this.metrics = metrics;
		this.properties = properties;
		this.policy = new DeliveryPolicy(new Backoff(properties.backoffBase(), properties.backoffMax(),
				() -> ThreadLocalRandom.current().nextDouble()));
		backlog.afterCommit(this::committed);
	}

	/**
	 * Events were just committed on this instance: look again once they have lingered,
	 * instead of at the next idle poll, so a lone event leaves about {@code linger} after
	 * its 202.
	 */
	private void committed() {
		ScheduledExecutorService current = this.poller;
		if (current == null || this.stopping || !this.wakeUpPending.compareAndSet(false, true)) {
			return;
		}
		try {
			current.schedule(() -> {
				this.wakeUpPending.set(false);
				poll();
			}, this.properties.linger().toMillis() + 5, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			this.wakeUpPending.set(false); // stopping
		}
	}

	@Override
	public void start() {
		this.stopping = false;
		this.poller = Executors.newSingleThreadScheduledExecutor(DeliveryThreads.named("delivery-poller"));
		this.poller.scheduleWithFixedDelay(this::poll, 0, this.properties.pollInterval().toMillis(),
				TimeUnit.MILLISECONDS);
		this.running = true;
		log.info("Delivery to PostHog started: {} batches of up to {} events in flight", this.properties.workers(),
				this.properties.batchSize());
	}

	/**
	 * Stops claiming, waits up to the shutdown grace for the sends in flight, then
	 * cancels what is left and releases those rows (a cancelled send may have reached
	 * PostHog: it is sent again on the next start with the same uuid, which PostHog
	 * de-duplicates). Everything else stays in the backlog for the next start or another
	 * instance.
	 */
	@Override
	public void stop() {
		this.stopping = true;
		if (this.poller == null) {
			return;
		}
		this.poller.shutdown();
		long deadline = System.nanoTime() + this.properties.shutdownGrace().toNanos();
		try {
			this.poller.awaitTermination(this.properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
			if (!awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
				log.info("Cancelling {} batches still in flight after the shutdown grace; they stay in the backlog",
						this.inFlight.size());
				this.posthog.cancelAll();
				awaitIdle(Duration.ofSeconds(2));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.running = false;
	}

	private boolean awaitIdle(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.idle) {
			while (!this.inFlight.isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.idle, left);
			}
		}
		return true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return DeliveryThreads.WORKERS_PHASE;
	}

	/**
	 * Claims and sends what is due, as long as this instance may have more batches in
	 * flight.
	 */
	void poll() {
		try {
			claimAndSend();
			if (this.claimFailing) {
				this.claimFailing = false;
				log.info("Claiming events from the backlog works again");
			}
		}
		catch (RuntimeException ex) {
			if (!this.claimFailing) {
				this.claimFailing = true;
				log.warn("Could not claim events from the backlog; trying again every {}: {}",
						this.properties.pollInterval(), ex.toString());
			}
		}
	}

	private void claimAndSend() {
		long now = System.nanoTime();
		int limit;
		if (this.status.state() == DeliveryState.PAUSED) {
			if (now - this.nextProbeNanos < 0 || !this.inFlight.isEmpty()) {
				return;
			}
			this.nextProbeNanos = now + this.properties.pauseProbeInterval().toNanos();
			limit = 1;
		}
		else {
			if (now - this.holdUntilNanos < 0) {
				return;
			}
			limit = (this.status.state() == DeliveryState.RETRYING) ? 1 : this.properties.workers();
		}
		while (!this.stopping && this.inFlight.size() < limit) {
			Optional<HeldBatch> held = this.store.claim(this.properties.batchSize(), this.properties.linger(),
					this.properties.lease());
			if (held.isEmpty()) {
				return;
			}
			Claim claim = new Claim(held.get());
			this.inFlight.add(claim);
			try {
				send(claim, held.get().events());
			}
			finally {
				finish(claim);
			}
		}
	}

	/**
	 * Sends the events in requests that respect PostHog's size limits: a claim's events
	 * in one request unless they pass {@code max-batch-size}. (Cut at {@code batch-size}
	 * events, a claim of whole commits, which holds a little more, took two requests, the
	 * second often queued behind other claims' for OkHttp's connections.)
	 */
	private void send(Claim claim, List<ClaimedEvent> events) {
		long maxBytes = this.properties.maxBatchSize().toBytes();
		if (surelyFitOneRequest(events, maxBytes)) {
			dispatch(claim, events);
			return;
		}
		List<ClaimedEvent> chunk = new ArrayList<>();
		long chunkBytes = 0;
		for (ClaimedEvent event : events) {
			int size = event.size();
			if (size > PostHogClient.MAX_EVENT_BYTES) {
				deadLetter(claim, List.of(event), "too_large", null,
						"event of " + size + " bytes is over PostHog's limit of " + PostHogClient.MAX_EVENT_BYTES);
				continue;
			}
			if (!chunk.isEmpty() && chunkBytes + size > maxBytes) {
				dispatch(claim, chunk);
				chunk = new ArrayList<>();
				chunkBytes = 0;
			}
			chunk.add(event);
			chunkBytes += size + 1;
		}
		if (!chunk.isEmpty()) {
			dispatch(claim, chunk);
		}
	}

	/**
	 * Whether the events go in one request whatever their exact sizes: UTF-8 takes at
	 * most three bytes a char, so when three times their chars fit both limits, the bytes
	 * do. Counting every event's bytes, a loop over each char, was a few per cent of the
	 * gateway's CPU at capture-50's peak (docs/benchmarks.md), where a claim of 1 300
	 * bench events is bounded by 2.3 MB against the default limit of 5 MB.
	 */
	private static boolean surelyFitOneRequest(List<ClaimedEvent> events, long maxBytes) {
		long bound = 0;
		for (ClaimedEvent event : events) {
			long eventBound = 3L * event.payload().length();
			if (eventBound > PostHogClient.MAX_EVENT_BYTES) {
				return false;
			}
			bound += eventBound + 1;
		}
		return bound <= maxBytes;
	}

	private void dispatch(Claim claim, List<ClaimedEvent> events) {
		if (this.stopping) {
			return; // released as they are when the claim ends
		}
		claim.outstanding().incrementAndGet();
		boolean handedOver = false;
		try {
			this.posthog.send(events, (result) -> {
				try {
					handle(claim, events, result);
				}
				catch (RuntimeException ex) {
					// given no outcome, the rows are released as they were and sent again
					log.warn("Could not act on PostHog's answer for a batch of {} events; they are sent again: {}",
							events.size(), ex.toString());
				}
				finally {
					finish(claim);
				}
			});
			handedOver = true; // from here the callback ends its part
		}
		finally {
			// even an Error: the claim must end, or its connection is never given back
			if (!handedOver) {
				finish(claim);
			}
		}
	}

	private void handle(Claim claim, List<ClaimedEvent> events, SendResult result) {
		DeliveryPolicy.Action action = this.policy.after(result, events.size(),
				this.status.snapshot().consecutiveFailures());
		if (action instanceof DeliveryPolicy.Delete) {
			claim.batch().delivered(events);
			this.metrics.forwarded(events.size());
			DeliveryState before = this.status.delivered();
			if (before == DeliveryState.PAUSED) {
				log.info("PostHog accepts the project token again: delivery resumed");
			}
			else if (before == DeliveryState.RETRYING) {
				log.info("PostHog takes events again: delivery recovered");
			}
		}
		else if (action instanceof DeliveryPolicy.RetryLater retry) {
			retryLater(claim, events, retry);
		}
		else if (action instanceof DeliveryPolicy.Halve halve) {
			this.metrics.failed(halve.reason(), events.size());
			claim.batch().keepHolding();
			int half = events.size() / 2;
			dispatch(claim, List.copyOf(events.subList(0, half)));
			dispatch(claim, List.copyOf(events.subList(half, events.size())));
		}
		else if (action instanceof DeliveryPolicy.DeadLetter letter) {
			this.metrics.failed(letter.reason(), events.size());
			deadLetter(claim, events, letter.reason(), letter.status(), letter.response());
		}
		else if (action instanceof DeliveryPolicy.Pause pause) {
			this.metrics.failed("unauthorized", events.size());
			this.nextProbeNanos = System.nanoTime() + this.properties.pauseProbeInterval().toNanos();
			// no outcome: the rows are released untouched when the claim ends
			if (this.status.paused("unauthorized")) {
				log.error(
						"PostHog refused the project token (HTTP {}): delivery is PAUSED. Nothing is dropped; "
								+ "events wait in the backlog. Check SECOND_POSTHOG_TOKEN and SECOND_POSTHOG_HOST; "
								+ "the gateway tries again every {} and resumes by itself.",
						pause.status(), this.properties.pauseProbeInterval());
			}
		}
	}

	private void retryLater(Claim claim, List<ClaimedEvent> events, DeliveryPolicy.RetryLater retry) {
		if (this.stopping) {
			return; // released as they are when the claim ends
		}
		this.metrics.failed(retry.reason(), events.size());
		DeliveryState before = this.status.state();
		int failures = this.status.failed(retry.reason());
		long until = System.nanoTime() + retry.delay().toNanos();
		if (until - this.holdUntilNanos > 0) {
			this.holdUntilNanos = until;
		}
		claim.batch().reschedule(events, retry.delay());
		this.metrics.retried(events.size());
		if (before == DeliveryState.HEALTHY) {
			log.warn("Sending to PostHog failed ({}, HTTP {}); events wait in the backlog, next attempt in {}",
					retry.reason(), (retry.status() != null) ? retry.status() : "-", retry.delay());
		}
		else {
			log.debug("Sending to PostHog failed again ({}); {} failures in a row, next attempt in {}", retry.reason(),
					failures, retry.delay());
		}
	}

	private void deadLetter(Claim claim, List<ClaimedEvent> events, String reason, Integer status, String response) {
		claim.batch().deadLetter(events, reason, status, response);
		this.metrics.deadLettered(reason, events.size());
		log.warn("Setting aside {} event(s) PostHog will not take ({}, HTTP {}); see /api/admin/dead-letters",
				events.size(), reason, (status != null) ? status : "-");
	}

	private void finish(Claim claim) {
		if (claim.outstanding().decrementAndGet() > 0) {
			return;
		}
		boolean completed = false;
		try {
			claim.batch().complete();
			completed = true;
		}
		catch (RuntimeException ex) {
			log.warn(
					"Could not record the outcome of a batch of {} events; they are due again and are sent again "
							+ "with the same uuids, after {}: {}",
					claim.batch().events().size(), this.properties.backoffBase(), ex.toString());
			// not at once: whatever failed may fail again, and each round resends the
			// batch
			long until = System.nanoTime() + this.properties.backoffBase().toNanos();
			if (until - this.holdUntilNanos > 0) {
				this.holdUntilNanos = until;
			}
		}
		this.inFlight.remove(claim);
		synchronized (this.idle) {
			this.idle.notifyAll();
		}
		if (completed && !this.stopping) {
			try {
				// there may be more due: do not wait for the next tick
				this.poller.execute(this::poll);
			}
			catch (RejectedExecutionException ex) {
				// stopping
			}
		}
	}

	/**
	 * One claimed batch and the requests still outstanding for it (a split batch has
	 * several); it starts at 1 for the claiming thread itself, and the batch is completed
	 * when it reaches 0.
	 */
	record Claim(HeldBatch batch, AtomicInteger outstanding) {

		Claim(HeldBatch batch) {
			this(batch, new AtomicInteger(1));
		}

	}

}
