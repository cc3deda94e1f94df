package so.second.gateway.operator;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Evaluates {@link ConditionalOnAnalytics} before any bean exists: binds the same
 * {@link AnalyticsProperties} the {@link OperatorSettings} bean is made from, with the
 * {@code --option}s of the command line ({@link CommandLineOptions}, as the bean does),
 * and applies {@link OperatorSettings#from}.
 */
final class AnalyticsCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		boolean wanted = (boolean) metadata.getAnnotationAttributes(ConditionalOnAnalytics.class.getName())
			.get("value");
		AnalyticsProperties properties = Binder.get(context.getEnvironment())
			.bindOrCreate("second.analytics", AnalyticsProperties.class);
		// Invalid settings stop the start here, with the variable's name (the failure
		// analyzer reports it), before any bean could be wired for the wrong case.
		OperatorSettings settings = OperatorSettings.from(properties, CommandLineOptions.of(context.getEnvironment()));
		if (settings.enabled() == wanted) {
			return ConditionOutcome.match(wanted ? "analytics are on" : settings.disabledReason());
		}
		return ConditionOutcome.noMatch(wanted ? settings.disabledReason() : "analytics are on");
	}

}
