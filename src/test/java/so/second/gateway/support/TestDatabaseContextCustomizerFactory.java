package so.second.gateway.support;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Points every Spring test context at the {@link TestDatabase}. Registered in
 * {@code META-INF/spring.factories}, so no test needs an annotation for it and none can fall back
 * to the application's own embedded PostgreSQL.
 *
 * <p>
 * The datasource is given as system properties, set while the test context is being configured:
 * the application's {@code EmbeddedPostgresEnvironment} runs before any context customizer could
 * add a property source, and must already see a URL. A test that needs its own database overrides
 * them with {@code @DynamicPropertySource} and {@link TestDatabase#freshDatabase()}.
 */
public final class TestDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		TestDatabase.publishAsSystemProperties();
		return null;
	}

}
