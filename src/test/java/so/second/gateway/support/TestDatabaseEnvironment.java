package so.second.gateway.support;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Points every gateway a test starts at the shared {@link TestDatabase}, unless the test
 * names a database of its own with {@code --spring.datasource.url}. The shared one is
 * added with the lowest precedence, so a {@code @DynamicPropertySource} (not yet there
 * when this runs) still wins. Registered in the tests' {@code META-INF/spring.factories},
 * so no test needs an annotation for it and none can fall back to the application's own
 * embedded PostgreSQL: it runs just before that one.
 *
 * <p>
 * One database serves every context because the tests' configuration turns the delivery
 * workers off ({@code second.delivery.drain=false}); the tests about delivery turn them
 * on, each with a database of its own, so no context claims another's events.
 */
public final class TestDatabaseEnvironment implements EnvironmentPostProcessor, Ordered {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (StringUtils.hasText(environment.getProperty("spring.datasource.url"))) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("testDatabase",
					Map.of("spring.datasource.url", TestDatabase.sharedUrl(), "spring.datasource.username",
							TestDatabase.username(), "spring.datasource.password", TestDatabase.password())));
	}

	@Override
	public int getOrder() {
		// after the config files, before the application's embedded PostgreSQL
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

}
