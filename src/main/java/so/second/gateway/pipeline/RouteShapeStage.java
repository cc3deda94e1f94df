package so.second.gateway.pipeline;

import java.util.Map;

/**
 * Stage 3: replaces a {@code route_shape} string with its normalized form
 * ({@link RouteShapes#normalize(String)}), before any value rule looks at it, so a route
 * that held a UUID arrives normalized rather than dropped. A {@code route_shape} that is
 * not a string is removed.
 */
final class RouteShapeStage {

	private RouteShapeStage() {
	}

	static void apply(Map<String, Object> properties) {
		Object route = properties.get(PageContext.ROUTE_SHAPE);
		if (route instanceof String s) {
			properties.put(PageContext.ROUTE_SHAPE, RouteShapes.normalize(s));
		}
		else if (properties.containsKey(PageContext.ROUTE_SHAPE)) {
			properties.remove(PageContext.ROUTE_SHAPE);
		}
	}

}
