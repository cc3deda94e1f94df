package so.second.gateway.delivery;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How delivery to PostHog behaves: batching, the backlog's bounds, retries and timeouts.
 * Every setting has a default meant for production; {@code docs/delivery.md} explains
 * each.
 *
 * @param batchSize events a claim gathers for one request to PostHog's {@code /batch/}:
 * whole commits until it holds this many, so a little more (a request is cut only at
 * {@code maxBatchSize})
 * @param maxBatchSize uncompressed bytes per request; PostHog takes up to 20 MB
 * @param workers batches in flight at once per instance (also OkHttp's per-host limit)
 * @param pollInterval how often an idle instance looks for due events
 * @param linger how long a claim waits for a short batch to fill: due events are claimed
 * once there are {@code batchSize} of them or the oldest has waited this long, so PostHog
 * gets big batches under load and a lone event still leaves at once after it
 * @param lease the longest a claim's transaction may wait for PostHog's next answer with
 * no statement running ({@code idle_in_transaction_session_timeout}); then PostgreSQL
 * ends it and its batch is due again (a hung or cut-off instance). A crashed instance's
 * batch is due again at once. Longer than {@code callTimeout}, so a live send never loses
 * its claim: every answer is written into the claim as it comes (or, when it settles no
 * row yet, a {@code SELECT 1}), which restarts the clock.
 * @param backoffBase the first retry delay after a failure; it doubles per failure, with
 * jitter
 * @param backoffMax the longest retry delay (a {@code Retry-After} may ask for longer)
 * @param pauseProbeInterval while PostHog refuses the token, how often one batch is tried
 * again
 * @param maxBacklog undelivered events at which capture answers 503
 * @param maxAge age of the oldest undelivered event at which capture answers 503
 * @param idempotencyWindow how long an idempotency key (user and client uuid) is
 * remembered
 * @param idempotencyPruneInterval how often expired idempotency keys are deleted
 * @param shutdownGrace how long a stopping instance waits for its in-flight sends
 * @param writerThreads threads that insert and commit appended events (group commit)
 * @param maxEventsPerCommit events one commit may carry
 * @param commitLinger how long a writer that has taken an append waits for more before it
 * commits; bigger groups mean fewer commits (and fsyncs) for the database, at the price
 * of this much more latency per request
 * @param appendQueueCapacity appends waiting for a writer before capture answers 503
 * @param appendTimeout how long a capture request waits for its commit before answering
 * 503
 * @param depthRefreshInterval how often the cached backlog depth and age are read from
 * the database
 * @param fullRetryAfter the {@code Retry-After} when the backlog is at its bound
 * @param unavailableRetryAfter the {@code Retry-After} when the database cannot be
 * written
 * @param connectTimeout TCP and TLS connect timeout toward PostHog
 * @param readTimeout longest silence while reading PostHog's answer
 * @param writeTimeout longest stall while writing a request body
 * @param callTimeout the whole request, connect to last byte
 * @param drain whether this instance runs delivery workers; {@code false} stores what it
 * accepts and leaves the sending to other instances (and runs the tests that are not
 * about delivery on one shared database)
 */
@Validated
@ConfigurationProperties("second.delivery")
record DeliveryProperties(@DefaultValue("1000") @Min(1) @Max(10000) int batchSize,
		@DefaultValue("5MB") DataSize maxBatchSize, @DefaultValue("4") @Min(1) @Max(64) int workers,
		@DefaultValue("500ms") @DurationMin(millis = 10) Duration pollInterval,
		@DefaultValue("400ms") @DurationMin(millis = 0) Duration linger,
		@DefaultValue("2m") @DurationMin(seconds = 1) Duration lease,
		@DefaultValue("1s") @DurationMin(millis = 1) Duration backoffBase,
		@DefaultValue("5m") @DurationMin(millis = 1) Duration backoffMax,
		@DefaultValue("1m") @DurationMin(millis = 10) Duration pauseProbeInterval,
		@DefaultValue("1000000") @Min(1) long maxBacklog, @DefaultValue("7d") @DurationMin(minutes = 1) Duration maxAge,
		@DefaultValue("24h") @DurationMin(hours = 24) Duration idempotencyWindow,
		@DefaultValue("10m") @DurationMin(seconds = 1) Duration idempotencyPruneInterval,
		@DefaultValue("20s") @DurationMin(millis = 0) Duration shutdownGrace,
		@DefaultValue("2") @Min(1) @Max(8) int writerThreads,
		@DefaultValue("1000") @Min(1) @Max(10000) int maxEventsPerCommit,
		@DefaultValue("1ms") @DurationMin(millis = 0) Duration commitLinger,
		@DefaultValue("10000") @Min(1) int appendQueueCapacity,
		@DefaultValue("5s") @DurationMin(millis = 100) Duration appendTimeout,
		@DefaultValue("1s") @DurationMin(millis = 10) Duration depthRefreshInterval,
		@DefaultValue("30s") @DurationMin(seconds = 1) Duration fullRetryAfter,
		@DefaultValue("5s") @DurationMin(seconds = 1) Duration unavailableRetryAfter,
		@DefaultValue("5s") @DurationMin(millis = 1) Duration connectTimeout,
		@DefaultValue("20s") @DurationMin(millis = 1) Duration readTimeout,
		@DefaultValue("20s") @DurationMin(millis = 1) Duration writeTimeout,
		@DefaultValue("30s") @DurationMin(millis = 1) Duration callTimeout, @DefaultValue("true") boolean drain) {

	/** PostHog's limit for one request to {@code /batch/}. */
	static final DataSize POSTHOG_MAX_REQUEST = DataSize.ofMegabytes(20);

	@AssertTrue(message = "max-batch-size must be between 1 KB and PostHog's 20 MB")
	boolean isMaxBatchSizeWithinPostHogLimit() {
		return this.maxBatchSize != null && this.maxBatchSize.toBytes() >= 1024
				&& this.maxBatchSize.compareTo(POSTHOG_MAX_REQUEST) < 0;
	}

	@AssertTrue(message = "lease must be longer than call-timeout, or a live send could lose its claim")
	boolean isLeaseLongerThanCallTimeout() {
		return this.lease != null && this.callTimeout != null && this.lease.compareTo(this.callTimeout) > 0;
	}

	@AssertTrue(message = "commit-linger must be shorter than append-timeout, or a lingering append would time out")
	boolean isCommitLingerShorterThanAppendTimeout() {
		return this.commitLinger != null && this.appendTimeout != null
				&& this.commitLinger.compareTo(this.appendTimeout) < 0;
	}

	@AssertTrue(message = "backoff-max must not be shorter than backoff-base")
	boolean isBackoffMaxAtLeastBase() {
		return this.backoffBase != null && this.backoffMax != null && this.backoffMax.compareTo(this.backoffBase) >= 0;
	}

}
