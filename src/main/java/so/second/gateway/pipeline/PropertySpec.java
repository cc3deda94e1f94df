package so.second.gateway.pipeline;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One property the tracking plan declares for an event: its type and bounds.
 *
 * @param name the snake_case key
 * @param type the declared type
 * @param maxLength longest string or enum value, in UTF-16 code units
 * @param pattern a regular expression a string must match in full, or {@code null}
 * @param min smallest number, or {@code null}
 * @param max largest number, or {@code null}
 * @param values the allowed values of an enum, empty for other types
 */
record PropertySpec(String name, Type type, int maxLength, Pattern pattern, Double min, Double max,
		List<String> values) {

	/** The largest integer a double represents exactly. */
	private static final double MAX_EXACT = 9007199254740992d;

	/** The types a tracking plan may declare. */
	enum Type {

		STRING, INTEGER, NUMBER, BOOLEAN, ENUM;

		String yamlName() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	PropertySpec {
		values = List.copyOf(values);
	}

	/**
	 * The value to send when a sanitized value fits this declaration.
	 * @param value a value the sanitizer produced
	 * @return the value (an integral double declared {@code integer} becomes a
	 * {@code Long}), or {@code null} when it does not fit; {@code null} never fits
	 */
	Object conform(Object value) {
		return switch (this.type) {
			case STRING -> (value instanceof String s && s.length() <= this.maxLength
					&& (this.pattern == null || this.pattern.matcher(s).matches())) ? s : null;
			case ENUM -> (value instanceof String s && this.values.contains(s)) ? s : null;
			case BOOLEAN -> (value instanceof Boolean) ? value : null;
			case INTEGER -> integer(value);
			case NUMBER -> (value instanceof Number n && inRange(n.doubleValue())) ? value : null;
		};
	}

	private Object integer(Object value) {
		if (value instanceof Integer || value instanceof Long) {
			return inRange(((Number) value).doubleValue()) ? value : null;
		}
		if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) <= MAX_EXACT && inRange(d)) {
			return d.longValue();
		}
		return null;
	}

	private boolean inRange(double d) {
		return Double.isFinite(d) && (this.min == null || d >= this.min) && (this.max == null || d <= this.max);
	}

}
