package so.second.gateway.capture;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.session.web.http.SessionRepositoryFilter;

import so.second.gateway.account.SessionSecurity;
import so.second.gateway.delivery.EventBacklog;
import so.second.gateway.operator.OperatorSettings;
import so.second.gateway.pipeline.CapturePipeline;
import so.second.gateway.settings.UsageDataSettingsService;

/**
 * The capture endpoint's collaborators, built once from {@link CaptureProperties}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class CaptureConfiguration {

	/**
	 * Capture's endpoint, on its path alone, after the database-failure, CSP and
	 * observation filters (they apply to it as to every route) and before Spring
	 * Session's (which, with Spring Security and Spring MVC, it does without).
	 */
	@Bean
	FilterRegistrationBean<CaptureEndpoint> captureEndpoint(SessionSecurity security, OperatorSettings operator,
			CapturePipeline pipeline, EventBacklog backlog, UsageDataSettingsService settings, CaptureBodyReader reader,
			UserRateLimiter rateLimiter, CaptureMetrics metrics, JsonMapper json, Clock clock) {
		FilterRegistrationBean<CaptureEndpoint> registration = new FilterRegistrationBean<>(new CaptureEndpoint(
				security, operator, pipeline, backlog, settings, reader, rateLimiter, metrics, json, clock));
		registration.addUrlPatterns(CaptureEndpoint.PATH);
		registration.setOrder(SessionRepositoryFilter.DEFAULT_ORDER - 1);
		return registration;
	}

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
