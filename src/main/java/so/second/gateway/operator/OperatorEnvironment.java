package so.second.gateway.operator;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.CompositePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Reads the {@link OperatorSettings} from the environment: the
 * {@link AnalyticsProperties} under {@code second.analytics} and the names of the
 * {@code --option}s the gateway was started with, from the environment's command-line
 * property source. {@link ConditionalOnAnalytics} runs before any bean exists, so it
 * cannot ask {@code ApplicationArguments}; the {@code OperatorSettings} bean is read here
 * too, so the wiring and the settings can never disagree about analytics being off.
 */
final class OperatorEnvironment {

	private OperatorEnvironment() {
	}

	/**
	 * @throws InvalidOperatorSettingException naming the variable at fault
	 */
	static OperatorSettings settings(Environment environment) {
		AnalyticsProperties properties = Binder.get(environment)
			.bindOrCreate("second.analytics", AnalyticsProperties.class);
		return OperatorSettings.from(properties, commandLineOptions(environment));
	}

	private static Set<String> commandLineOptions(Environment environment) {
		Set<String> names = new LinkedHashSet<>();
		if (environment instanceof ConfigurableEnvironment configurable) {
			collect(configurable.getPropertySources().get(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME),
					names);
		}
		return Set.copyOf(names);
	}

	// Spring Boot wraps its own command-line source in a
	// composite when one of that name was there already.
	private static void collect(PropertySource<?> source, Set<String> names) {
		if (source instanceof CommandLinePropertySource<?> commandLine) {
			names.addAll(Arrays.asList(commandLine.getPropertyNames()));
		}
		else if (source instanceof CompositePropertySource composite) {
			composite.getPropertySources().forEach((each) -> collect(each, names));
		}
	}

}
