package so.second.gateway.operator;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Wires a configuration only when analytics are on ({@code true}, the default) or only
 * when they are off ({@code false}), decided by the same rules as
 * {@link OperatorSettings#enabled()}. The sinks are chosen with it once at start-up, so
 * no bean asks again at run time.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(AnalyticsCondition.class)
public @interface ConditionalOnAnalytics {

	/** Whether the annotated beans are for analytics on. */
	boolean value() default true;

}
