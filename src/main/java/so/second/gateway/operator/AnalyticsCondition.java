package so.second.gateway.operator;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Evaluates {@link ConditionalOnAnalytics} before any bean exists, from the same
 * {@link OperatorEnvironment#settings reading} the {@link OperatorSettings} bean is made
 * of.
 */
final class AnalyticsCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		boolean wanted = (boolean) metadata.getAnnotationAttributes(ConditionalOnAnalytics.class.getName())
			.get("value");
		// Invalid settings stop the start here, with the variable's name (the failure
		// analyzer reports it), before any bean could be wired for the wrong case.
		OperatorSettings settings = OperatorEnvironment.settings(context.getEnvironment());
		if (settings.enabled() == wanted) {
			return ConditionOutcome.match(wanted ? "analytics are on" : settings.disabledReason());
		}
		return ConditionOutcome.noMatch(wanted ? settings.disabledReason() : "analytics are on");
	}

}
