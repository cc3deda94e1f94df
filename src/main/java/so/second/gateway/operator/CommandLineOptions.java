package so.second.gateway.operator;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.CompositePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * The names of the {@code --option}s the gateway was started with, read from the
 * environment's command-line property source. {@link ConditionalOnAnalytics} runs before
 * any bean exists, so it cannot ask {@code ApplicationArguments}; the
 * {@link OperatorSettings} bean reads the options here too, so the two can never disagree
 * about an off flag.
 */
final class CommandLineOptions {

	private CommandLineOptions() {
	}

	static Set<String> of(Environment environment) {
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
