package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static so.second.gateway.pipeline.TestMaps.map;

class PropertyPolicyTests {

	private static final TrackingPlan PLAN = TrackingPlan.fromClasspath();

	private final PropertyPolicy policy = new PropertyPolicy(PLAN);

	private static RequestContext anonymized() {
		return new RequestContext("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe", true, "203.0.113.9",
				Instant.parse("2025-06-01T12:00:00Z"));
	}

	private static RequestContext identified() {
		return new RequestContext("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe", false, "203.0.113.9",
				Instant.parse("2025-06-01T12:00:00Z"));
	}

	@Test
	void anonymizedEventKeepsDeclaredProperties() {
		PropertyPolicy.Result result = this.policy.apply("build failed",
				map("message_count", 12, "runtime_id", "node22", "error_code", "ETIMEDOUT", "failure_phase", "install"),
				anonymized());
		assertThat(result.properties()).containsExactly(Map.entry("message_count", 12),
				Map.entry("runtime_id", "node22"), Map.entry("error_code", "ETIMEDOUT"),
				Map.entry("failure_phase", "install"));
		assertThat(result.droppedUndeclaredKeys()).isEmpty();
	}

	@Test
	void anonymizedEventDropsWorkspaceIdAndReportsIt() {
		PropertyPolicy.Result result = this.policy.apply("build completed",
				map("workspace_id", "w_123", "file_count", 3), anonymized());
		assertThat(result.properties()).containsOnly(Map.entry("file_count", 3));
		assertThat(result.droppedUndeclaredKeys()).containsExactly("workspace_id");
	}

	@Test
	void anonymizedEventDropsEveryUndeclaredKeyAndReportsEach() {
		PropertyPolicy.Result result = this.policy.apply("sidebar clicked",
				map("item", "apps", "color", "blue", "phone_number", "555-0100", "nested", map("x", 1)), anonymized());
		assertThat(result.properties()).containsOnlyKeys("item");
		assertThat(result.droppedUndeclaredKeys()).containsExactly("color", "phone_number", "nested");
	}

	@Test
	void anonymizedEventKeepsPageContext() {
		PropertyPolicy.Result result = this.policy.apply("page viewed", map("surface", "workspace_home", "route_shape",
				"/w/:workspace", "viewport_width", 1280, "viewport_height", 800), anonymized());
		assertThat(result.properties()).containsOnlyKeys("surface", "route_shape", "viewport_width", "viewport_height");
		assertThat(result.droppedUndeclaredKeys()).isEmpty();
	}

	@Test
	void anonymizedEventDropsADeclaredValueHoldingAnEmailUrlOrUuid() {
		PropertyPolicy.Result result = this.policy.apply("app agent error",
				map("error_code", "x@y.io", "model", "https://models.example.com/m", "runtime_id",
						"5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b", "failure_phase", "start"),
				anonymized());
		assertThat(result.properties()).containsOnly(Map.entry("failure_phase", "start"));
	}

	@Test
	void anonymizedEventDropsPageContextHoldingTheUsersName() {
		PropertyPolicy.Result result = this.policy.apply("page viewed",
				map("surface", "jane_doe_home", "route_shape", "/library/jane-doe"), identifiedAs("Jane-Doe"));
		assertThat(result.properties()).containsOnlyKeys("surface");
		PropertyPolicy.Result byName = this.policy.apply("page viewed", map("surface", "janedoe"),
				identifiedAs("JaneDoe"));
		assertThat(byName.properties()).isEmpty();
	}

	private static RequestContext identifiedAs(String name) {
		return new RequestContext("usr_8f3k2m9q", null, name, true, null, Instant.parse("2025-06-01T12:00:00Z"));
	}

	@Test
	void declaredValueOfTheWrongTypeIsDroppedInBothModes() {
		for (RequestContext context : List.of(anonymized(), identified())) {
			PropertyPolicy.Result result = this.policy.apply("build completed",
					map("message_count", "twelve", "duration_ms", -5, "file_count", 2.0), context);
			assertThat(result.properties()).containsOnly(Map.entry("file_count", 2L));
		}
	}

	@Test
	void identifiedEventKeepsUndeclaredProperties() {
		PropertyPolicy.Result result = this.policy.apply("app displayed",
				map("workspace_id", "w_123", "app_name", "Todo tracker", "display_mode", "preview"), identified());
		assertThat(result.properties()).containsExactly(Map.entry("workspace_id", "w_123"),
				Map.entry("app_name", "Todo tracker"), Map.entry("display_mode", "preview"));
		assertThat(result.droppedUndeclaredKeys()).isEmpty();
	}

	@Test
	void clientReleaseValuesNeverSurvive() {
		for (RequestContext context : List.of(anonymized(), identified())) {
			PropertyPolicy.Result result = this.policy.apply("page viewed",
					map("release_version", "forged", "cli_launcher_package", "forged"), context);
			assertThat(result.properties()).isEmpty();
			assertThat(result.droppedUndeclaredKeys()).isEmpty();
		}
	}

}
