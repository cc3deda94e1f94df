package so.second.gateway.operator;

/**
 * An operator setting that stops start-up. The message names the environment variable and
 * what it must look like; it never contains the value, which may be a secret pasted by
 * mistake.
 */
public final class InvalidOperatorSettingException extends RuntimeException {

	private final String variable;

	InvalidOperatorSettingException(String variable, String requirement) {
		super(variable + " " + requirement);
		this.variable = variable;
	}

	public String variable() {
		return this.variable;
	}

}
