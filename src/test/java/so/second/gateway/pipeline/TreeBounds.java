package so.second.gateway.pipeline;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Measures a sanitized tree against the documented bounds; test-only. */
final class TreeBounds {

	private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");

	private TreeBounds() {
	}

	/** Depth with the top-level map as level 1. */
	static int depth(Object value) {
		if (value instanceof Map<?, ?> map) {
			return 1 + map.values().stream().mapToInt(TreeBounds::depth).max().orElse(0);
		}
		if (value instanceof List<?> list) {
			return 1 + list.stream().mapToInt(TreeBounds::depth).max().orElse(0);
		}
		return 0;
	}

	/** Values under the top-level map, containers included. */
	static int valueCount(Map<?, ?> top) {
		int count = 0;
		for (Object value : top.values()) {
			count += 1 + nested(value);
		}
		return count;
	}

	private static int nested(Object value) {
		if (value instanceof Map<?, ?> map) {
			return valueCount(map);
		}
		if (value instanceof List<?> list) {
			return list.stream().mapToInt((v) -> 1 + nested(v)).sum();
		}
		return 0;
	}

	/** Every rule of the sanitizer's output, or a description of the first broken one. */
	static String violation(Object value) {
		if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long) {
			return null;
		}
		if (value instanceof Double d) {
			return Double.isFinite(d) ? null : "non-finite number " + d;
		}
		if (value instanceof String s) {
			if (s.length() > Limits.MAX_STRING_LENGTH) {
				return "string of length " + s.length();
			}
			for (int i = 0; i < s.length(); i++) {
				char c = s.charAt(i);
				int type = Character.getType(c);
				if (type == Character.CONTROL || type == Character.FORMAT) {
					return "control or format character U+" + Integer.toHexString(c);
				}
				if (Character.isHighSurrogate(c)
						&& (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
					return "unpaired high surrogate";
				}
				if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
					return "unpaired low surrogate";
				}
			}
			return null;
		}
		if (value instanceof Map<?, ?> map) {
			if (map.size() > Limits.MAX_PROPERTIES_PER_OBJECT) {
				return "object of " + map.size() + " properties";
			}
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!(entry.getKey() instanceof String key) || key.length() > Limits.MAX_KEY_LENGTH
						|| !KEY.matcher(key).matches()) {
					return "bad key " + entry.getKey();
				}
				String inner = violation(entry.getValue());
				if (inner != null) {
					return inner;
				}
			}
			return null;
		}
		if (value instanceof List<?> list) {
			if (list.size() > Limits.MAX_ARRAY_LENGTH) {
				return "array of " + list.size();
			}
			for (Object element : list) {
				String inner = violation(element);
				if (inner != null) {
					return inner;
				}
			}
			return null;
		}
		return "unexpected type " + value.getClass().getName();
	}

}
