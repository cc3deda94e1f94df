package so.second.gateway.operator;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a bad operator setting into Spring Boot's short "APPLICATION FAILED TO START"
 * report instead of a stack trace.
 */
class InvalidOperatorSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidOperatorSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidOperatorSettingException cause) {
		return new FailureAnalysis("Invalid setting: " + cause.getMessage() + ".",
				"Correct or unset the environment variable " + cause.variable() + " and start the gateway again.",
				cause);
	}

}
