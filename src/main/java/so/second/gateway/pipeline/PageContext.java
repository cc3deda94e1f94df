package so.second.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Stage 5: the anonymous-safe page context every browser event may carry, in both modes:
 * {@code surface} (a short lower-case word such as {@code workspace_home}),
 * {@code route_shape} (already normalized by {@link RouteShapeStage}) and
 * {@code viewport_width} and {@code viewport_height} (finite numbers from 0 to
 * {@link Limits#MAX_VIEWPORT}). A page-context value of another shape is dropped; valid
 * ones are placed after the event's own properties.
 */
final class PageContext {

	static final String SURFACE = "surface";

	static final String ROUTE_SHAPE = "route_shape";

	static final String VIEWPORT_WIDTH = "viewport_width";

	static final String VIEWPORT_HEIGHT = "viewport_height";

	static final Set<String> KEYS = Set.of(SURFACE, ROUTE_SHAPE, VIEWPORT_WIDTH, VIEWPORT_HEIGHT);

	private PageContext() {
	}

	/**
	 * Moves the page context to the end of the properties, keeping only valid values.
	 * @param properties the event's properties after the tracking plan and anonymization
	 * stage
	 * @return a new map: the event's own properties, then the valid page context
	 */
	static Map<String, Object> apply(Map<String, Object> properties) {
		Map<String, Object> out = new LinkedHashMap<>(properties);
		Object surface = out.remove(SURFACE);
		Object routeShape = out.remove(ROUTE_SHAPE);
		Object width = out.remove(VIEWPORT_WIDTH);
		Object height = out.remove(VIEWPORT_HEIGHT);
		if (isSurface(surface)) {
			out.put(SURFACE, surface);
		}
		if (routeShape instanceof String) {
			out.put(ROUTE_SHAPE, routeShape);
		}
		if (isViewport(width)) {
			out.put(VIEWPORT_WIDTH, width);
		}
		if (isViewport(height)) {
			out.put(VIEWPORT_HEIGHT, height);
		}
		return out;
	}

	/** {@code [a-z][a-z0-9_-]*}, at most {@link Limits#MAX_SURFACE_LENGTH} characters. */
	static boolean isSurface(Object value) {
		if (!(value instanceof String s) || s.isEmpty() || s.length() > Limits.MAX_SURFACE_LENGTH) {
			return false;
		}
		if (s.charAt(0) < 'a' || s.charAt(0) > 'z') {
			return false;
		}
		for (int i = 1; i < s.length(); i++) {
			char c = s.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
				return false;
			}
		}
		return true;
	}

	static boolean isViewport(Object value) {
		if (!(value instanceof Number n)) {
			return false;
		}
		double d = n.doubleValue();
		return Double.isFinite(d) && d >= 0 && d <= Limits.MAX_VIEWPORT;
	}

}
