package so.second.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Property maps for pipeline tests, written inline; unlike {@code Map.of} they keep their
 * order and take {@code null} values.
 */
final class TestMaps {

	private TestMaps() {
	}

	static Map<String, Object> map(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}
