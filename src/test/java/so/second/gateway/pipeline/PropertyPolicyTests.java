package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static so.second.gateway.pipeline.TestMaps.map;

/**
 * The tracking plan and anonymization stage: keys and values fail closed while
 * anonymized, everything sanitized passes while identified.
 */
class PropertyPolicyTests {

	private static final TrackingPlan PLAN = TrackingPlan.fromClasspath();

	private static final String USER_ID = "7d1e4b2a-9c3f-4e8d-a6b5-0f1e2d3c4b5a";

	private final PropertyPolicy policy = new PropertyPolicy(PLAN);

	private PropertyPolicy.Result apply(String event, Map<String, Object> properties, RequestContext context) {
		return this.policy.apply(event, properties, context, context.anonymized() ? UserIdentity.of(context) : null);
	}

	private static RequestContext anonymized() {
		return new RequestContext(USER_ID, "jane.doe@example.com", "Jane Doe", true, "203.0.113.9",
				Instant.parse("2025-06-01T12:00:00Z"));
	}

	private static RequestContext identified() {
		return new RequestContext(USER_ID, "jane.doe@example.com", "Jane Doe", false, "203.0.113.9",
				Instant.parse("2025-06-01T12:00:00Z"));
	}

	@Test
	void anonymizedEventKeepsDeclaredProperties() {
		PropertyPolicy.Result result = apply("build failed",
				map("message_count", 12, "runtime_id", "codex", "error_code", "ETIMEDOUT", "failure_phase", "install"),
				anonymized());
		assertThat(result.properties()).containsExactly(Map.entry("message_count", 12),
				Map.entry("runtime_id", "codex"), Map.entry("error_code", "ETIMEDOUT"),
				Map.entry("failure_phase", "install"));
		assertThat(result.droppedUndeclaredKeys()).isEmpty();
	}

	@Test
	void anonymizedEventDropsWorkspaceIdAndReportsIt() {
		PropertyPolicy.Result result = apply("build completed", map("workspace_id", "w_123", "file_count", 3),
				anonymized());
		assertThat(result.properties()).containsOnly(Map.entry("file_count", 3));
		assertThat(result.droppedUndeclaredKeys()).containsExactly("workspace_id");
	}

	@Test
	void anonymizedEventDropsEveryUndeclaredKeyAndReportsEach() {
		PropertyPolicy.Result result = apply("sidebar clicked",
				map("item", "apps", "color", "blue", "phone_number", "555-0100", "nested", map("x", 1)), anonymized());
		assertThat(result.properties()).containsOnlyKeys("item");
		assertThat(result.droppedUndeclaredKeys()).containsExactly("color", "phone_number", "nested");
	}

	@Test
	void anonymizedEventKeepsPageContext() {
		PropertyPolicy.Result result = apply("page viewed", map("surface", "workspace_home", "route_shape",
				"/w/:workspace", "viewport_width", 1280, "viewport_height", 800), anonymized());
		assertThat(result.properties()).containsOnlyKeys("surface", "route_shape", "viewport_width", "viewport_height");
		assertThat(result.droppedUndeclaredKeys()).isEmpty();
	}

	@Test
	void anonymizedEventSendsOtherForEveryStringItsVocabularyDoesNotListAndReportsTheKeys() {
		PropertyPolicy.Result result = this.policy.apply("app agent error",
				map("error_code", "x@y.io", "model", "https://models.example.com/m", "runtime_id",
						"5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b", "failure_phase", "start"),
				anonymized(), UserIdentity.of(anonymized()));
		assertThat(result.properties()).containsExactly(Map.entry("error_code", "other"), Map.entry("model", "other"),
				Map.entry("runtime_id", "other"), Map.entry("failure_phase", "start"));
		assertThat(result.unlistedValueKeys()).containsExactlyInAnyOrder("error_code", "model", "runtime_id");
	}

	@Test
	void anonymizedEventSendsOtherForFreeTextThatLooksHarmless() {
		PropertyPolicy.Result result = apply("sidebar clicked", map("item", "Jane", "surface", "doe_home"),
				anonymized());
		assertThat(result.properties()).containsExactly(Map.entry("item", "other"), Map.entry("surface", "other"));
		assertThat(result.unlistedValueKeys()).containsExactly("item", "surface");
	}

	@Test
	void anonymizedRouteShapeKeepsOnlyRouteWordsAndPlaceholders() {
		PropertyPolicy.Result result = apply("page viewed",
				map("route_shape", RouteShapes.normalize("/team/acme-corp/settings/share/g5fn3/view")), anonymized());
		assertThat(result.properties()).containsExactly(Map.entry("route_shape", "/team/:id/settings/share/:id/view"));
		assertThat(apply("page viewed", map("route_shape", RouteShapes.normalize("/Users/jane/projects")), anonymized())
			.properties()).containsExactly(Map.entry("route_shape", "/:id/:id/:id"));
		assertThat(apply("page viewed", map("route_shape", "/w/:workspace/apps/:objectId"), anonymized()).properties())
			.containsExactly(Map.entry("route_shape", "/w/:workspace/apps/:objectId"));
	}

	@Test
	void anonymizedVocabularyWordThatIsTheUsersNameIsSentAsOther() {
		PropertyPolicy.Result result = apply("page viewed",
				map("surface", "library", "route_shape", "/library/settings"), anonymizedAs("Library Settings"));
		assertThat(result.properties()).containsExactly(Map.entry("surface", "other"),
				Map.entry("route_shape", "/:id/:id"));
	}

	@Test
	void anonymizedEventPropertyWordThatHoldsAPartOfTheUsersNameIsSentAsOther() {
		PropertyPolicy.Result result = apply("build failed",
				map("runtime_id", "claude-code", "error_code", "ETIMEDOUT"), anonymizedAs("Claude Shannon"));
		assertThat(result.properties()).containsExactly(Map.entry("runtime_id", "other"),
				Map.entry("error_code", "ETIMEDOUT"));
		assertThat(result.unlistedValueKeys()).containsExactly("runtime_id");
	}

	@Test
	void identifiedEventKeepsDeclaredStringsOutsideTheirVocabulary() {
		PropertyPolicy.Result result = apply("build failed", map("error_code", "EADDRINUSE", "surface", "new_page"),
				identified());
		assertThat(result.properties()).containsExactly(Map.entry("error_code", "EADDRINUSE"),
				Map.entry("surface", "new_page"));
		assertThat(result.unlistedValueKeys()).isEmpty();
	}

	private static RequestContext anonymizedAs(String name) {
		return new RequestContext(USER_ID, null, name, true, null, Instant.parse("2025-06-01T12:00:00Z"));
	}

	@Test
	void declaredValueOfTheWrongTypeIsDroppedInBothModes() {
		for (RequestContext context : List.of(anonymized(), identified())) {
			PropertyPolicy.Result result = apply("build completed",
					map("message_count", "twelve", "duration_ms", -5, "file_count", 2.0), context);
			assertThat(result.properties()).containsOnly(Map.entry("file_count", 2L));
		}
	}

	@Test
	void identifiedEventKeepsUndeclaredProperties() {
		PropertyPolicy.Result result = apply("app displayed",
				map("workspace_id", "w_123", "app_name", "Todo tracker", "display_mode", "preview"), identified());
		assertThat(result.properties()).containsExactly(Map.entry("workspace_id", "w_123"),
				Map.entry("app_name", "Todo tracker"), Map.entry("display_mode", "preview"));
		assertThat(result.droppedUndeclaredKeys()).isEmpty();
	}

	@Test
	void clientReleaseValuesNeverSurvive() {
		for (RequestContext context : List.of(anonymized(), identified())) {
			PropertyPolicy.Result result = apply("page viewed",
					map("release_version", "forged", "cli_launcher_package", "forged"), context);
			assertThat(result.properties()).isEmpty();
			assertThat(result.droppedUndeclaredKeys()).isEmpty();
		}
	}

}
