package so.second.gateway.pipeline;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage 2: makes a client property tree safe to handle, in both modes. Keys must be
 * snake_case identifiers of bounded length (client {@code $} keys are dropped with every
 * other bad key, and so are the top-level keys PostHog reserves for the event itself,
 * {@link #RESERVED_KEYS}), strings are cleaned and cut, numbers must be finite, and
 * nesting, array length, property count and the total number of values are bounded by
 * {@link Limits}. It never throws, whatever the tree holds: unknown value types are
 * dropped, and the depth bound stops even a cyclic tree.
 * <p>
 * The output holds only {@code String}, {@code Integer}, {@code Long}, {@code Double},
 * {@code Boolean}, {@code null}, and (nested) unmodifiable {@code Map<String, Object>}
 * and {@code List<Object>}; the top-level map is a fresh, mutable {@link LinkedHashMap}.
 */
final class Sanitizer {

	/**
	 * Top-level keys PostHog reads as part of the event itself rather than as a property:
	 * a client value under one of them would confuse PostHog (or another project's
	 * token), so they are dropped in both modes, like {@code $} keys. The gateway sets
	 * the real ones at the top of the event.
	 */
	static final Set<String> RESERVED_KEYS = Set.of("distinct_id", "token", "api_key", "uuid", "timestamp", "event");

	/** Marks a value that does not survive. */
	private static final Object DROP = new Object();

	private Sanitizer() {
	}

	/**
	 * Sanitizes the {@code properties} object of one event.
	 * @param properties the client's properties; anything but a map yields an empty map
	 * @return a fresh mutable map within every bound of {@link Limits}
	 */
	static Map<String, Object> sanitize(Object properties) {
		if (!(properties instanceof Map<?, ?> map)) {
			return new LinkedHashMap<>();
		}
		return sanitizeObject(map, 1, new int[] { Limits.MAX_VALUES_PER_EVENT });
	}

	/**
	 * Whether a property key is acceptable: {@code [a-z][a-z0-9_]*}, at most
	 * {@link Limits#MAX_KEY_LENGTH} characters.
	 * @param key a candidate key, any object
	 * @return whether it may be kept
	 */
	static boolean isValidKey(Object key) {
		if (!(key instanceof String s) || s.isEmpty() || s.length() > Limits.MAX_KEY_LENGTH) {
			return false;
		}
		char first = s.charAt(0);
		if (first < 'a' || first > 'z') {
			return false;
		}
		for (int i = 1; i < s.length(); i++) {
			char c = s.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Cleans one string: tabs, line breaks and line or paragraph separators become a
	 * space; other control characters (Unicode Cc), invisible format characters (Cf, such
	 * as zero-width spaces and bidirectional overrides) and unpaired surrogates are
	 * removed; the result is cut to {@link Limits#MAX_STRING_LENGTH} UTF-16 code units
	 * without splitting a surrogate pair.
	 * @param s the string
	 * @return the cleaned string
	 */
	static String cleanString(String s) {
		int first = firstToChange(s);
		if (first < 0) {
			return s;
		}
		StringBuilder out = new StringBuilder(Math.min(s.length(), Limits.MAX_STRING_LENGTH)).append(s, 0, first);
		int i = first;
		while (i < s.length()) {
			int cp = s.codePointAt(i);
			i += Character.charCount(cp);
			int type = Character.getType(cp);
			if (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029) {
				cp = ' ';
			}
			else if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE) {
				continue;
			}
			if (out.length() + Character.charCount(cp) > Limits.MAX_STRING_LENGTH) {
				break;
			}
			out.appendCodePoint(cp);
		}
		return out.toString();
	}

	/**
	 * Where cleaning must start: the index of the first character to replace or remove,
	 * or of the cut; -1 when the string is fine as it is (most strings, which are then
	 * not copied).
	 */
	private static int firstToChange(String s) {
		int length = Math.min(s.length(), Limits.MAX_STRING_LENGTH);
		for (int i = 0; i < length; i++) {
			char c = s.charAt(i);
			if (c >= 0x20 && c < 0x7f) {
				continue;
			}
			if (c < 0xa0 || c == 0x2028 || c == 0x2029) {
				return i;
			}
			int cp = c;
			if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
				if (i + 1 >= length) {
					return i;
				}
				cp = Character.toCodePoint(c, s.charAt(i + 1));
			}
			int type = Character.getType(cp);
			if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE) {
				return i;
			}
			if (cp != c) {
				i++;
			}
		}
		return (s.length() > length) ? length : -1;
	}

	/**
	 * Normalizes a number: {@code Integer} and {@code Long} stay, smaller integer types
	 * become {@code Integer}, a {@code BigInteger} becomes a {@code Long} when it fits
	 * and a {@code Double} otherwise, every other supported type a {@code Double}.
	 * Non-finite values, values beyond the range of a double and unknown {@code Number}
	 * types are dropped.
	 * @param n the number
	 * @return the normalized number, or {@code null} when it is dropped
	 */
	static Number normalizeNumber(Number n) {
		if (n instanceof Integer || n instanceof Long) {
			return n;
		}
		if (n instanceof Short || n instanceof Byte) {
			return n.intValue();
		}
		if (n instanceof Double d) {
			return Double.isFinite(d) ? d : null;
		}
		if (n instanceof Float f) {
			return Float.isFinite(f) ? Double.valueOf(f.toString()) : null;
		}
		if (n instanceof BigInteger b) {
			if (b.bitLength() < 64) {
				return b.longValue();
			}
			double d = b.doubleValue();
			return Double.isFinite(d) ? d : null;
		}
		if (n instanceof BigDecimal b) {
			double d = b.doubleValue();
			return Double.isFinite(d) ? d : null;
		}
		return null;
	}

	private static Map<String, Object> sanitizeObject(Map<?, ?> map, int level, int[] budget) {
		Map<String, Object> out = new LinkedHashMap<>();
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (out.size() >= Limits.MAX_PROPERTIES_PER_OBJECT || budget[0] <= 0) {
				break;
			}
			Object key = entry.getKey();
			if (!isValidKey(key) || (level == 1 && RESERVED_KEYS.contains(key))) {
				continue;
			}
			Object value = sanitizeValue(entry.getValue(), level, budget);
			if (value != DROP) {
				out.put((String) key, value);
			}
		}
		return out;
	}

	private static List<Object> sanitizeArray(List<?> list, int level, int[] budget) {
		List<Object> out = new ArrayList<>(Math.min(list.size(), Limits.MAX_ARRAY_LENGTH));
		for (Object element : list) {
			if (out.size() >= Limits.MAX_ARRAY_LENGTH || budget[0] <= 0) {
				break;
			}
			Object value = sanitizeValue(element, level, budget);
			if (value != DROP) {
				out.add(value);
			}
		}
		return out;
	}

	/** Sanitizes a value that sits inside a container of the given level. */
	private static Object sanitizeValue(Object value, int level, int[] budget) {
		if (budget[0] <= 0) {
			return DROP;
		}
		Object result;
		if (value == null || value instanceof Boolean) {
			result = value;
		}
		else if (value instanceof String s) {
			result = cleanString(s);
		}
		else if (value instanceof Number n) {
			Number normalized = normalizeNumber(n);
			result = (normalized != null) ? normalized : DROP;
		}
		else if (value instanceof Map<?, ?> map) {
			if (level + 1 > Limits.MAX_DEPTH) {
				return DROP;
			}
			budget[0]--;
			return Collections.unmodifiableMap(sanitizeObject(map, level + 1, budget));
		}
		else if (value instanceof List<?> list) {
			if (level + 1 > Limits.MAX_DEPTH) {
				return DROP;
			}
			budget[0]--;
			return Collections.unmodifiableList(sanitizeArray(list, level + 1, budget));
		}
		else {
			result = DROP;
		}
		if (result != DROP) {
			budget[0]--;
		}
		return result;
	}

}
