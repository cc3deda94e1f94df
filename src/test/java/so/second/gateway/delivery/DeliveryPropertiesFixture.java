package so.second.gateway.delivery;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@link DeliveryProperties} as Spring Boot binds them: the defaults, with some settings
 * changed.
 */
final class DeliveryPropertiesFixture {

	private DeliveryPropertiesFixture() {
	}

	static DeliveryProperties with(Map<String, String> settings) {
		Map<String, String> prefixed = new HashMap<>();
		settings.forEach((key, value) -> prefixed.put("second.delivery." + key, value));
		return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("second.delivery",
				DeliveryProperties.class);
	}

}
