package so.second.gateway.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import so.second.gateway.delivery.BacklogEvent;
import so.second.gateway.delivery.EventBacklog;
import so.second.gateway.delivery.IdempotencyKey;
import so.second.gateway.pipeline.OutgoingEvent;

/**
 * An {@link EventBacklog} that keeps what capture hands to delivery, so tests can assert
 * on the exact payload; it honours idempotency keys the way the real backlog does, and
 * can be told to fail the way the real one does.
 */
public final class RecordingBacklog implements EventBacklog {

	/**
	 * Replaces the real backlog in a test context:
	 * {@code @Import(RecordingBacklog.InPlaceOfDelivery.class)}.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	public static class InPlaceOfDelivery {

		@Bean
		@Primary
		RecordingBacklog recordingBacklog() {
			return new RecordingBacklog();
		}

	}

	private final List<OutgoingEvent> events = new ArrayList<>();

	private final Set<IdempotencyKey> keys = new HashSet<>();

	private Supplier<RuntimeException> failure;

	@Override
	public synchronized void append(List<BacklogEvent> batch) {
		if (this.failure != null) {
			throw this.failure.get();
		}
		for (BacklogEvent event : batch) {
			if (event.idempotencyKey() == null || this.keys.add(event.idempotencyKey())) {
				this.events.add(event.event());
			}
		}
	}

	public synchronized List<OutgoingEvent> events() {
		return List.copyOf(this.events);
	}

	public synchronized List<OutgoingEvent> eventsFor(String distinctId) {
		return this.events.stream().filter(event -> event.distinctId().equals(distinctId)).toList();
	}

	public synchronized void failWith(Supplier<RuntimeException> failure) {
		this.failure = failure;
	}

	public synchronized void clear() {
		this.events.clear();
		this.keys.clear();
		this.failure = null;
	}

}
