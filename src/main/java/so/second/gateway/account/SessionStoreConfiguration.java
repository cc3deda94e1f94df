package so.second.gateway.account;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import so.second.gateway.database.ChangeNotifications;

/**
 * How Spring Session JDBC writes sessions. It updates a session's last-access time on
 * every request; waiting for that commit to reach the disk would cost every request an
 * fsync. Losing the last fraction of a second of those writes in a PostgreSQL crash costs
 * nothing (at worst a user signs in again), so session transactions commit asynchronously
 * ({@code synchronous_commit} off for them alone). Accepted events keep their synchronous
 * commit. The session filter reads and writes through
 * {@link LastAccessThrottlingSessionRepository}, so most requests write nothing at all.
 */
@Configuration(proxyBeanMethods = false)
class SessionStoreConfiguration {

	private static final String ASYNC_COMMIT_QUERY = "SET LOCAL synchronous_commit TO OFF";

	/** Spring Session JDBC takes the bean of this name for its transactions. */
	@Bean
	TransactionOperations springSessionTransactionOperations(PlatformTransactionManager transactionManager,
			JdbcTemplate jdbc) {
		TransactionTemplate template = new TransactionTemplate(transactionManager);
		template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		return new TransactionOperations() {
			@Override
			public <T> T execute(org.springframework.transaction.support.TransactionCallback<T> action) {
				return template.execute(status -> {
					jdbc.execute(ASYNC_COMMIT_QUERY);
					return action.doInTransaction(status);
				});
			}
		};
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
