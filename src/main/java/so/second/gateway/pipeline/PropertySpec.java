package so.second.gateway.pipeline;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One property the tracking plan declares for an event: its type and bounds.
 * <p>
 * There is no free-text type: a string property is an {@link Type#ENUM enum}, whose
 * values are the vocabulary that may reach PostHog while a user is anonymized
 * (docs/api.md, what reaches PostHog: no free text while anonymized).
 *
 * @param name the snake_case key
 * @param type the declared type
 * @param min smallest number, or {@code null}
 * @param max largest number, or {@code null}
 * @param values the vocabulary of an enum in declaration order, empty for other types
 */
record PropertySpec(String name, Type type, Double min, Double max, Set<String> values) {

	/** What a string outside its vocabulary becomes while anonymized. */
	static final String OTHER = "other";

	/** The largest integer a double represents exactly. */
	private static final double MAX_EXACT = 9007199254740992d;

	/** The types a tracking plan may declare. */
	enum Type {

		INTEGER, NUMBER, BOOLEAN, ENUM;

		String yamlName() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	PropertySpec {
		values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
	}

	/**
	 * The value to send when a sanitized value fits this declaration's type and bounds.
	 * An enum accepts any string here; {@link #vocabularyValue(String)} decides what an
	 * anonymized event keeps of it.
	 * @param value a value the sanitizer produced
	 * @return the value (an integral double declared {@code integer} becomes a
	 * {@code Long}), or {@code null} when it does not fit; {@code null} never fits
	 */
	Object conform(Object value) {
		return switch (this.type) {
			case ENUM -> (value instanceof String) ? value : null;
			case BOOLEAN -> (value instanceof Boolean) ? value : null;
			case INTEGER -> integer(value);
			case NUMBER -> (value instanceof Number n && inRange(n.doubleValue())) ? value : null;
		};
	}

	/**
	 * What an anonymized event sends for a string of this enum.
	 * @param value a string
	 * @return the value when the vocabulary lists it, {@link #OTHER} otherwise
	 */
	String vocabularyValue(String value) {
		return this.values.contains(value) ? value : OTHER;
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
