package so.second.gateway.capture;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The capture endpoint's collaborators, built once from {@link CaptureProperties}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class CaptureConfiguration {

	@Bean
	CaptureBodyReader captureBodyReader(CaptureProperties properties) {
		return new CaptureBodyReader(Math.toIntExact(properties.maxBodySize().toBytes()));
	}

	@Bean
	UserRateLimiter userRateLimiter(CaptureProperties properties) {
		return new UserRateLimiter(properties.ratePerSecond(), properties.rateBurst(), properties.rateIdleEviction(),
				System::nanoTime);
	}

	@Bean
	CaptureMetrics captureMetrics(MeterRegistry registry) {
		return new CaptureMetrics(registry);
	}

	@Bean
	RateLimiterEviction rateLimiterEviction(UserRateLimiter limiter) {
		return new RateLimiterEviction(limiter);
	}

	/** Keeps the rate limiter's memory bounded by the users active recently. */
	static final class RateLimiterEviction {

		private static final Logger log = LoggerFactory.getLogger(RateLimiterEviction.class);

		private final UserRateLimiter limiter;

		RateLimiterEviction(UserRateLimiter limiter) {
			this.limiter = limiter;
		}

		@Scheduled(fixedDelayString = "PT1M")
		void evictIdleUsers() {
			int forgotten = this.limiter.evictIdle();
			if (forgotten > 0) {
				log.debug("Forgot the rate-limit buckets of {} idle users", forgotten);
			}
		}

	}

}
