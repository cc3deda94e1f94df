package so.second.gateway.pipeline;

/**
 * The tracking plan cannot be used; the message names the source and the line at fault,
 * so a broken plan stops start-up with a pointer to the fix.
 */
public final class TrackingPlanException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	TrackingPlanException(String message) {
		super(message);
	}

	TrackingPlanException(String message, Throwable cause) {
		super(message, cause);
	}

}
