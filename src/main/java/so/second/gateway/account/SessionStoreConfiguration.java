package so.second.gateway.account;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.ConversionService;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

import so.second.gateway.database.ChangeNotifications;

/**
 * How Spring Session JDBC reads and writes sessions: through
 * {@link LastAccessThrottlingSessionRepository}, a near cache that writes a session's
 * last access at most once a minute, so most requests neither read nor write a session in
 * PostgreSQL. Session writes are rare enough that they commit like everything else
 * (synchronously, in Spring Session's own transactions). Attributes are stored as JSON.
 */
@Configuration(proxyBeanMethods = false)
class SessionStoreConfiguration {

	/**
	 * Spring Session JDBC takes the bean of this name to store attributes: JSON instead
	 * of Java serialization ({@link SessionAttributeConversion}).
	 */
	@Bean
	static ConversionService springSessionConversionService() {
		return SessionAttributeConversion.create(SessionStoreConfiguration.class.getClassLoader());
	}

	/**
	 * Wraps the repository that Boot configures (table, timeout, clean-up), so the
	 * session filter reads and writes through
	 * {@link LastAccessThrottlingSessionRepository}. Declaring a repository bean of our
	 * own instead would switch Boot's configuration off.
	 */
	@Bean
	static BeanPostProcessor lastAccessThrottlingSessionRepositoryPostProcessor(
			ObjectProvider<ChangeNotifications> notifications) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof JdbcIndexedSessionRepository jdbc)
						? new LastAccessThrottlingSessionRepository(jdbc, notifications.getObject()) : bean;
			}
		};
	}

}
