package so.second.gateway.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A tiny JSON writer for asserting on the serialized form of outgoing events; test-only.
 */
final class TestJson {

	private TestJson() {
	}

	static String write(OutgoingEvent event) {
		StringBuilder out = new StringBuilder();
		out.append("{\"uuid\":");
		string(out, event.uuid().toString());
		out.append(",\"event\":");
		string(out, event.event());
		out.append(",\"distinct_id\":");
		string(out, event.distinctId());
		out.append(",\"timestamp\":");
		string(out, event.timestamp().toString());
		out.append(",\"properties\":");
		value(out, event.properties());
		return out.append('}').toString();
	}

	static String write(Object value) {
		StringBuilder out = new StringBuilder();
		value(out, value);
		return out.toString();
	}

	private static void value(StringBuilder out, Object value) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof String s) {
			string(out, s);
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!first) {
					out.append(',');
				}
				first = false;
				string(out, String.valueOf(entry.getKey()));
				out.append(':');
				value(out, entry.getValue());
			}
			out.append('}');
		}
		else if (value instanceof List<?> list) {
			out.append('[');
			for (int i = 0; i < list.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				value(out, list.get(i));
			}
			out.append(']');
		}
		else {
			throw new IllegalArgumentException("not a JSON value: " + value.getClass());
		}
	}

	private static void string(StringBuilder out, String s) {
		out.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
