package so.second.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

import so.second.gateway.delivery.BacklogStore.BacklogRow;
import so.second.gateway.pipeline.OutgoingEvent;
import so.second.gateway.support.PostHogFake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

class GroupCommitBacklogTests extends DeliveryTestContext {

	@Autowired
	MeterRegistry registry;

	@Autowired
	BacklogStore store;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void concurrentAppendsShareCommits() throws Exception {
		double appendsBefore = this.registry.get("analytics.delivery.backlog.appends").counter().count();
		long commitsBefore = this.registry.get("analytics.delivery.backlog.commits").timer().count();
		List<UUID> uuids = new ArrayList<>();
		ExecutorService requests = Executors.newFixedThreadPool(32);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int i = 0; i < 320; i++) {
				List<BacklogEvent> events = events(2);
				uuids.addAll(uuids(events));
				done.add(requests.submit(() -> this.backlog.append(events)));
			}
			for (Future<?> each : done) {
				each.get();
			}
		}
		finally {
			requests.shutdown();
		}

		double appends = this.registry.get("analytics.delivery.backlog.appends").counter().count() - appendsBefore;
		long commits = this.registry.get("analytics.delivery.backlog.commits").timer().count() - commitsBefore;
		assertThat(appends).isEqualTo(320);
		assertThat(commits).isLessThan(320);
		awaitDelivered(uuids, Duration.ofSeconds(30));
	}

	@Test
	void anEventWithAnAcceptedIdempotencyKeyIsStoredOnce() {
		BacklogEvent first = BacklogEvent.retriable(event("page viewed"), UUID.randomUUID());

		this.backlog.append(List.of(first, first));
		this.backlog.append(List.of(first));

		List<UUID> uuid = List.of(first.event().uuid());
		awaitDelivered(uuid, Duration.ofSeconds(10));
		// no row left first: a second copy would then have been delivered already
		assertThat(backlogEvents(uuid)).isZero();
		assertThat(posthog.deliveries(uuid)).containsExactly(entry(first.event().uuid(), 1L));
	}

	@Test
	void concurrentAppendsOfOneIdempotencyKeyStoreItOnce() throws Exception {
		BacklogEvent attempt = BacklogEvent.retriable(event("page viewed"), UUID.randomUUID());

		CompletableFuture
			.allOf(IntStream.range(0, 8)
				.mapToObj((i) -> CompletableFuture.runAsync(() -> this.backlog.append(List.of(attempt))))
				.toArray(CompletableFuture[]::new))
			.get();

		List<UUID> uuid = List.of(attempt.event().uuid());
		awaitDelivered(uuid, Duration.ofSeconds(10));
		assertThat(backlogEvents(uuid)).isZero();
		assertThat(posthog.deliveries(uuid)).containsExactly(entry(attempt.event().uuid(), 1L));
	}

	@Test
	void theSameUuidFromTwoUsersIsTwoEvents() {
		OutgoingEvent event = event("page viewed");

		this.backlog.append(List.of(BacklogEvent.retriable(event, UUID.randomUUID()),
				BacklogEvent.retriable(event, UUID.randomUUID())));

		List<UUID> uuid = List.of(event.uuid());
		await().atMost(Duration.ofSeconds(10)).until(() -> backlogEvents(uuid) == 0);
		assertThat(posthog.deliveries(uuid)).containsExactly(entry(event.uuid(), 2L));
	}

	@Test
	void aCommitMixingKeyedEventsAndEventsWithoutAKeyStoresEachOnce() {
		UUID user = UUID.randomUUID();
		BacklogRow first = row(event("page viewed"), user);
		BacklogRow identify = row(event("$identify"), null);
		BacklogRow second = row(event("page viewed"), user);

		assertThat(this.store.insert(List.of(first, identify, second))).isEqualTo(3);
		assertThat(this.store.insert(List.of(first, second))).isZero();
		awaitDelivered(List.of(first.uuid(), identify.uuid(), second.uuid()), Duration.ofSeconds(10));
	}

	private static BacklogRow row(OutgoingEvent event, UUID sender) {
		return new BacklogRow(event.uuid(), new EventJson().write(event),
				(sender != null) ? new IdempotencyKey(sender, event.uuid()) : null);
	}

	@Test
	void idempotencyKeysOlderThanTheWindowArePruned() {
		UUID user = UUID.randomUUID();
		UUID old = UUID.randomUUID();
		UUID fresh = UUID.randomUUID();
		this.jdbc.sql(
				"INSERT INTO delivery_idempotency (user_id, event_uuid, created_at) VALUES (?, ?, now() - interval '25 hours')")
			.params(user, old)
			.update();
		this.jdbc.sql("INSERT INTO delivery_idempotency (user_id, event_uuid) VALUES (?, ?)")
			.params(user, fresh)
			.update();

		this.store.pruneIdempotencyKeys(Duration.ofHours(24));

		assertThat(this.jdbc.sql("SELECT event_uuid FROM delivery_idempotency WHERE user_id = ?")
			.param(user)
			.query(UUID.class)
			.list()).containsExactly(fresh);
	}

	@Test
	void whenPostHogIsDownAndTheBacklogReachesItsBoundThenAppendsAreRefusedUntilItDrains() {
		await().atMost(Duration.ofSeconds(20)).until(() -> this.store.sum().events() == 0);
		// the depth is refreshed by hand here, so that
		// the test knows exactly what the monitor knows
		DeliveryProperties bounded = DeliveryPropertiesFixture
			.with(Map.of("max-backlog", "10", "depth-refresh-interval", "1h"));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		BacklogMonitor monitor = new BacklogMonitor(this.store, bounded, meters);
		GroupCommitBacklog small = new GroupCommitBacklog(this.store, monitor, new DeliveryMetrics(meters), bounded);
		monitor.start();
		small.start();
		try {
			posthog.answer((batch) -> PostHogFake.status(503));
			List<BacklogEvent> accepted = events(10);
			small.append(accepted.subList(0, 6));
			small.append(accepted.subList(6, 10));

			assertThatExceptionOfType(BacklogFullException.class).isThrownBy(() -> small.append(events(1)))
				.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(bounded.fullRetryAfter()));
			assertThat(meters.get("analytics.delivery.backlog.refused").tag("reason", "full").counter().count())
				.isOne();
			monitor.refresh();
			assertThatExceptionOfType(BacklogFullException.class).isThrownBy(() -> small.append(events(1)));

			posthog.answerOk();
			awaitDelivered(uuids(accepted), Duration.ofSeconds(20));
			await().atMost(Duration.ofSeconds(5)).until(() -> this.store.sum().events() == 0);
			monitor.refresh();
			List<BacklogEvent> afterRecovery = events(1);
			small.append(afterRecovery);
			awaitDelivered(uuids(afterRecovery), Duration.ofSeconds(10));
		}
		finally {
			small.stop();
			monitor.stop();
		}
	}

	@Test
	void withACommitLingerAnAppendWaitsForTheNextAndBothShareOneCommit() throws Exception {
		// max-events-per-commit 2 ends the linger as soon as the second event is there:
		// the appends are answered long before the linger would have ended
		DeliveryProperties properties = DeliveryPropertiesFixture.with(Map.of("commit-linger", "60s", "append-timeout",
				"120s", "max-events-per-commit", "2", "writer-threads", "1"));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		GroupCommitBacklog lingering = new GroupCommitBacklog(this.store,
				new BacklogMonitor(this.store, properties, meters), new DeliveryMetrics(meters), properties);
		lingering.start();
		ExecutorService requests = Executors.newFixedThreadPool(2);
		try {
			List<BacklogEvent> first = events(1);
			List<BacklogEvent> second = events(1);
			Future<?> firstAppended = requests.submit(() -> lingering.append(first));
			Future<?> secondAppended = requests.submit(() -> lingering.append(second));
			firstAppended.get(20, TimeUnit.SECONDS);
			secondAppended.get(20, TimeUnit.SECONDS);

			assertThat(meters.get("analytics.delivery.backlog.commits").timer().count()).isOne();
			awaitDelivered(uuids(List.of(first.get(0), second.get(0))), Duration.ofSeconds(10));
		}
		finally {
			requests.shutdown();
			lingering.stop();
		}
	}

	@Test
	void whenTheDatabaseIsUnreachableThenNothingIsAcceptedAndAppendSaysWhenToRetry() {
		PGSimpleDataSource unreachable = new PGSimpleDataSource();
		unreachable.setUrl("jdbc:postgresql://127.0.0.1:1/gone");
		unreachable.setConnectTimeout(1);
		BacklogStore store = new BacklogStore(unreachable);
		DeliveryProperties properties = DeliveryPropertiesFixture.with(Map.of());
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		GroupCommitBacklog backlog = new GroupCommitBacklog(store, new BacklogMonitor(store, properties, meters),
				new DeliveryMetrics(meters), properties);
		backlog.start();
		try {
			assertThatExceptionOfType(BacklogUnavailableException.class).isThrownBy(() -> backlog.append(events(3)))
				.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(properties.unavailableRetryAfter()));
		}
		finally {
			backlog.stop();
		}
	}

	@Test
	void whenStoppingThenEveryAppendAlreadyQueuedIsCommittedAndLaterOnesAreRefused() throws Exception {
		DeliveryProperties properties = DeliveryPropertiesFixture.with(Map.of());
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		GroupCommitBacklog stopping = new GroupCommitBacklog(this.store,
				new BacklogMonitor(this.store, properties, meters), new DeliveryMetrics(meters), properties);
		stopping.start();
		ExecutorService requests = Executors.newFixedThreadPool(16);
		List<List<BacklogEvent>> appended = new ArrayList<>();
		List<Future<Boolean>> outcomes = new ArrayList<>();
		try {
			for (int i = 0; i < 200; i++) {
				List<BacklogEvent> events = events(1);
				appended.add(events);
				outcomes.add(requests.submit(() -> {
					try {
						stopping.append(events);
						return true;
					}
					catch (BacklogUnavailableException ex) {
						return false;
					}
				}));
			}
			stopping.stop();

			List<UUID> accepted = new ArrayList<>();
			for (int i = 0; i < outcomes.size(); i++) {
				if (outcomes.get(i).get()) {
					accepted.addAll(uuids(appended.get(i)));
				}
			}
			assertThat(accepted).isNotEmpty();
			awaitDelivered(accepted, Duration.ofSeconds(30));
		}
		finally {
			requests.shutdownNow();
		}
	}

}
