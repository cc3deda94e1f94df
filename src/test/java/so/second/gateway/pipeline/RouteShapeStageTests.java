package so.second.gateway.pipeline;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouteShapeStageTests {

	@Test
	void normalizesTheRouteShapeInPlace() {
		Map<String, Object> properties = new HashMap<>(
				Map.of("route_shape", "/w/acme/apps/5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b?x=1", "item", "apps"));
		RouteShapeStage.apply(properties);
		assertThat(properties).containsOnly(Map.entry("route_shape", "/w/:workspace/apps/:objectId"),
				Map.entry("item", "apps"));
	}

	@Test
	void removesARouteShapeThatIsNotAString() {
		Map<String, Object> properties = new HashMap<>(Map.of("route_shape", Map.of("path", "/w/acme")));
		RouteShapeStage.apply(properties);
		assertThat(properties).isEmpty();
	}

	@Test
	void leavesPropertiesWithoutARouteShapeAlone() {
		Map<String, Object> properties = new HashMap<>(Map.of("item", "apps"));
		RouteShapeStage.apply(properties);
		assertThat(properties).containsOnly(Map.entry("item", "apps"));
	}

}
