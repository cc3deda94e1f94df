package so.second.gateway.database;

/**
 * Neither {@code SPRING_DATASOURCE_URL} nor {@code SECOND_EMBEDDED_DATABASE=true} was
 * given; {@link NoDatabaseConfiguredFailureAnalyzer} tells the operator what to set.
 */
final class NoDatabaseConfiguredException extends IllegalStateException {

	NoDatabaseConfiguredException() {
		super("No database configured: set SPRING_DATASOURCE_URL, or SECOND_EMBEDDED_DATABASE=true for a local run");
	}

}
