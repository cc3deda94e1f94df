package so.second.gateway.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tracking plan's declaration of one event.
 *
 * @param name the event name
 * @param properties the declared properties by key, in declaration order
 */
record EventSpec(String name, Map<String, PropertySpec> properties) {

	EventSpec {
		properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
	}

	PropertySpec property(String key) {
		return this.properties.get(key);
	}

}
