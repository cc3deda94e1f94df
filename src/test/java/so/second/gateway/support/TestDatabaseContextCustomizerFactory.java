package so.second.gateway.support;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points every Spring test context at the {@link TestDatabase} server, each context at a
 * database of its own. Registered in {@code META-INF/spring.factories}, so no test needs
 * an annotation for it and none can fall back to the application's own embedded
 * PostgreSQL.
 *
 * <p>
 * Two steps, because of when things run. The shared database is published as system
 * properties while the context is being configured: the application's
 * {@code EmbeddedPostgresEnvironment} runs before any customizer and must already see a
 * URL. Then, as the context is created, a fresh database replaces it: every context runs
 * its own delivery workers, and on one shared backlog a context could claim and send
 * another context's events to its own PostHog. A test's own
 * {@code @DynamicPropertySource} datasource still wins.
 */
public final class TestDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

	private static final String PROPERTY_SOURCE_NAME = "testDatabase";

	// Spring's DynamicValuesPropertySource; whichever customizer runs first,
	// @DynamicPropertySource wins.
	private static final String DYNAMIC_PROPERTY_SOURCE_NAME = "Dynamic Test Properties";

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		TestDatabase.publishAsSystemProperties();
		return new FreshDatabaseCustomizer();
	}

	private static final class FreshDatabaseCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			MapPropertySource fresh = new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("spring.datasource.url", TestDatabase.freshDatabase()));
			MutablePropertySources sources = context.getEnvironment().getPropertySources();
			if (sources.contains(DYNAMIC_PROPERTY_SOURCE_NAME)) {
				sources.addAfter(DYNAMIC_PROPERTY_SOURCE_NAME, fresh);
			}
			else {
				sources.addFirst(fresh);
			}
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof FreshDatabaseCustomizer;
		}

		@Override
		public int hashCode() {
			return FreshDatabaseCustomizer.class.hashCode();
		}

	}

}
