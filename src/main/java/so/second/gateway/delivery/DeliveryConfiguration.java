package so.second.gateway.delivery;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import so.second.gateway.operator.ConditionalOnAnalytics;
import so.second.gateway.operator.OperatorSettings;

/**
 * Chooses the sink once, at start-up, the way PostHog's capture service picks Kafka or a
 * no-op: with analytics on, the durable backlog in PostgreSQL with its writers, monitor
 * and workers; with analytics off, {@link NoDelivery}, which stores and sends nothing. No
 * bean of delivery asks again later.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

	/** Analytics on: every accepted event is committed, then drained into PostHog. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAnalytics
	static class DurableDelivery {

		@Bean
		BacklogStore backlogStore(DataSource dataSource) {
			return new BacklogStore(dataSource);
		}

		@Bean
		DeliveryMetrics deliveryMetrics(MeterRegistry registry) {
			return new DeliveryMetrics(registry);
		}

		@Bean
		DeliveryStatus deliveryStatus(MeterRegistry registry) {
			return new DeliveryStatus(registry, DeliveryState.HEALTHY);
		}

		@Bean
		BacklogMonitor backlogMonitor(BacklogStore store, DeliveryProperties properties, MeterRegistry registry) {
			return new BacklogMonitor(store, properties, registry);
		}

		@Bean
		GroupCommitBacklog eventBacklog(BacklogStore store, BacklogMonitor monitor, DeliveryMetrics metrics,
				DeliveryProperties properties) {
			return new GroupCommitBacklog(store, monitor, metrics, properties);
		}

		@Bean
		PostHogClient postHogClient(OperatorSettings settings, DeliveryProperties properties, DeliveryMetrics metrics) {
			return new PostHogClient(settings, properties, metrics);
		}

		/**
		 * Not with {@code second.delivery.drain=false} ({@code SECOND_DELIVERY_DRAIN},
		 * {@link DeliveryProperties#drain()}): this instance only stores what it accepts
		 * and leaves the sending to others.
		 */
		@Bean
		@ConditionalOnBooleanProperty(name = "second.delivery.drain", matchIfMissing = true)
		DeliveryWorkers deliveryWorkers(BacklogStore store, PostHogClient posthog, DeliveryStatus status,
				DeliveryMetrics metrics, DeliveryProperties properties, GroupCommitBacklog backlog) {
			return new DeliveryWorkers(store, posthog, status, metrics, properties, backlog);
		}

		@Bean
		DeliveryHealthIndicator deliveryHealthIndicator(DeliveryStatus status, BacklogMonitor monitor,
				DeliveryProperties properties) {
			return new DeliveryHealthIndicator(status, monitor, properties.drain());
		}

	}

	/** Analytics off: nothing is stored and nothing is sent. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAnalytics(false)
	static class AnalyticsOff {

		@Bean
		NoDelivery eventBacklog() {
			return new NoDelivery();
		}

		/** The {@code analytics.delivery.state} gauge says {@code disabled}. */
		@Bean
		DeliveryStatus deliveryStatus(MeterRegistry registry) {
			return new DeliveryStatus(registry, DeliveryState.DISABLED);
		}

		@Bean
		HealthIndicator deliveryHealthIndicator() {
			return () -> Health.up().withDetail("state", DeliveryState.DISABLED.label()).build();
		}

	}

}
