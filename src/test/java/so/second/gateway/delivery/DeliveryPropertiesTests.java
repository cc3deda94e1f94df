package so.second.gateway.delivery;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryPropertiesTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Bind.class);

	@Test
	void defaultsAreMeantForProduction() {
		this.contexts.run((context) -> {
			DeliveryProperties properties = context.getBean(DeliveryProperties.class);
			assertThat(properties.batchSize()).isEqualTo(1000);
			assertThat(properties.linger()).isLessThan(properties.pollInterval());
			assertThat(properties.maxBatchSize()).isEqualTo(DataSize.ofMegabytes(5));
			assertThat(properties.maxBacklog()).isEqualTo(1_000_000);
			assertThat(properties.maxAge()).isEqualTo(Duration.ofDays(7));
			assertThat(properties.idempotencyWindow()).isEqualTo(Duration.ofHours(24));
			assertThat(properties.lease()).isGreaterThan(properties.callTimeout());
		});
	}

	@Test
	void aLeaseNoLongerThanTheCallTimeoutStopsStartUp() {
		this.contexts.withPropertyValues("second.delivery.lease=30s", "second.delivery.call-timeout=30s")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("lease"));
	}

	@Test
	void aCommitLingerNoShorterThanTheAppendTimeoutStopsStartUp() {
		this.contexts.withPropertyValues("second.delivery.commit-linger=5s", "second.delivery.append-timeout=5s")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("commit-linger"));
	}

	@Test
	void anIdempotencyWindowUnderADayStopsStartUp() {
		this.contexts.withPropertyValues("second.delivery.idempotency-window=1h")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("idempotencyWindow"));
	}

	@Test
	void aBatchOverPostHogsLimitStopsStartUp() {
		this.contexts.withPropertyValues("second.delivery.max-batch-size=25MB")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("20 MB"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(DeliveryProperties.class)
	static class Bind {

	}

}
