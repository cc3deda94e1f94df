package so.second.gateway.operator;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Binds the operator settings once at start and says, once, when analytics are off and
 * why.
 */
@Configuration(proxyBeanMethods = false)
class OperatorConfiguration {

	private static final Logger log = LoggerFactory.getLogger(OperatorConfiguration.class);

	/** The gateway's clock (UTC); tests replace it to move time. */
	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	OperatorSettings operatorSettings(Environment environment) {
		OperatorSettings settings = OperatorEnvironment.settings(environment);
		if (settings.enabled()) {
			log.info("Analytics on: forwarding to {}", settings.host());
		}
		else {
			log.warn("Analytics are off: {}. Nothing is forwarded to PostHog and no event is stored.",
					settings.disabledReason());
		}
		return settings;
	}

}
