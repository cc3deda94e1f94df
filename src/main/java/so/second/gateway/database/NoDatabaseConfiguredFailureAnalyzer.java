package so.second.gateway.database;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing database into a start-up message naming both ways to give one. */
final class NoDatabaseConfiguredFailureAnalyzer extends AbstractFailureAnalyzer<NoDatabaseConfiguredException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, NoDatabaseConfiguredException cause) {
		return new FailureAnalysis(
				"No database is configured: SPRING_DATASOURCE_URL is not set, and SECOND_EMBEDDED_DATABASE is not true.",
				"Set SPRING_DATASOURCE_URL (with SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD) to your "
						+ "PostgreSQL, or set SECOND_EMBEDDED_DATABASE=true to start an embedded PostgreSQL with its data "
						+ "in .data/postgres (for a local run only; ./mvnw spring-boot:run sets it).",
				cause);
	}

}
