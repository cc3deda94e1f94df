package so.second.gateway.pipeline;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static so.second.gateway.pipeline.TestMaps.map;

class PageContextTests {

	@Test
	void placesValidPageContextAfterTheEventsOwnProperties() {
		Map<String, Object> out = PageContext.apply(map("viewport_width", 1280, "surface", "app_chat", "item", "apps",
				"route_shape", "/w/:workspace", "viewport_height", 720.5));
		assertThat(out).containsExactly(Map.entry("item", "apps"), Map.entry("surface", "app_chat"),
				Map.entry("route_shape", "/w/:workspace"), Map.entry("viewport_width", 1280),
				Map.entry("viewport_height", 720.5));
	}

	@Test
	void dropsASurfaceThatIsNotAShortLowerCaseWord() {
		for (Object bad : new Object[] { "App Chat", "Settings", "_x", "", "s".repeat(Limits.MAX_SURFACE_LENGTH + 1),
				42, "app/chat" }) {
			assertThat(PageContext.apply(map("surface", bad))).as("%s", bad).isEmpty();
		}
		assertThat(PageContext.apply(map("surface", "workspace_agents"))).containsKey("surface");
		assertThat(PageContext.apply(map("surface", "s".repeat(Limits.MAX_SURFACE_LENGTH)))).containsKey("surface");
	}

	@Test
	void dropsAViewportOutsideItsBounds() {
		for (Object bad : new Object[] { -1, Limits.MAX_VIEWPORT + 1, Double.NaN, "1280", true }) {
			assertThat(PageContext.apply(map("viewport_width", bad, "viewport_height", bad))).as("%s", bad).isEmpty();
		}
		assertThat(PageContext.apply(map("viewport_width", 0, "viewport_height", Limits.MAX_VIEWPORT))).hasSize(2);
	}

	@Test
	void dropsARouteShapeThatIsNotAString() {
		assertThat(PageContext.apply(map("route_shape", 7))).isEmpty();
	}

}
