package so.second.gateway.throttle;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The throttle, built once from {@link ThrottleProperties}, and its clean-up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ThrottleProperties.class)
class ThrottleConfiguration {

	@Bean
	SignInThrottle signInThrottle(JdbcClient jdbc, PlatformTransactionManager transactionManager,
			ThrottleProperties properties, Clock clock) {
		return new SignInThrottle(new ThrottleStore(jdbc, new TransactionTemplate(transactionManager), properties),
				properties, clock);
	}

	@Bean
	ThrottleCleanup throttleCleanup(SignInThrottle throttle) {
		return new ThrottleCleanup(throttle);
	}

	/**
	 * Every instance may run it; deleting what is already gone costs nothing.
	 */
	static final class ThrottleCleanup {

		private final SignInThrottle throttle;

		ThrottleCleanup(SignInThrottle throttle) {
			this.throttle = throttle;
		}

		@Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT1M")
		void deleteExpired() {
			try {
				this.throttle.deleteExpired();
			}
			catch (RuntimeException ex) {
				// PostgreSQL away: the next run deletes the same rows.
			}
		}

	}

}
