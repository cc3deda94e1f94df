package so.second.gateway.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RouteShapesTests {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					# the contract's example
					/w/acme/apps/5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b/runs/812?x=1  | /w/:workspace/apps/:objectId/runs/:runId
					# workspace, object, run and agent positions
					/w/acme                                           | /w/:workspace
					/w/acme-corp-2024/apps                            | /w/:workspace/apps
					/w/acme/apps/new                                  | /w/:workspace/apps/:objectId
					/w/acme/apps/todo-tracker/settings                | /w/:workspace/apps/:objectId/settings
					/w/acme/agents                                    | /w/:workspace/agents
					/w/acme/agents/summarizer/runs/1234               | /w/:workspace/agents/:agentId/runs/:runId
					/w/acme/agents/9d2e4c1a-7b3f-4e8d-a1c2-3f4e5d6c7b8a | /w/:workspace/agents/:agentId
					/w/acme/apps/42/runs/7/logs                       | /w/:workspace/apps/:objectId/runs/:runId/logs
					# integrations: one placeholder replaces the rest
					/w/acme/integrations                              | /w/:workspace/integrations
					/w/acme/integrations/github                       | /w/:workspace/integrations/:integration
					/w/acme/integrations/github/callback?code=abc&state=xyz | /w/:workspace/integrations/:integration
					/w/acme/integrations/google-drive/oauth/return/5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b | /w/:workspace/integrations/:integration
					# other id-like segments
					/w/acme/library/12345                             | /w/:workspace/library/:id
					/w/acme/library/5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b/edit | /w/:workspace/library/:id/edit
					/w/acme/library/5F0C2B1E-8A3D-4C1E-9B7A-2D6E1F0A9C3B | /w/:workspace/library/:id
					/w/acme/files/507f1f77bcf86cd799439011            | /w/:workspace/files/:id
					/w/acme/threads/01ARZ3NDEKTSV4RRFFQ69G5FAV        | /w/:workspace/threads/:id
					/w/acme/share/V1StGXR8_Z5jdHi6B-myT               | /w/:workspace/share/:id
					/w/acme/share/aGVsbG8gd29ybGQgdG9rZW4             | /w/:workspace/share/:id
					/w/acme/commits/deadbeefcafe                      | /w/:workspace/commits/:id
					/w/acme/reports/2024-06-01                        | /w/:workspace/reports/:id
					/w/acme/users/jane.doe@example.com                | /w/:workspace/users/:id
					/w/acme/users/jane.doe%40example.com              | /w/:workspace/users/:id
					/sites/example.com/settings                       | /sites/:id/settings
					/@jane                                            | /:id
					/404                                              | /:id
					# route words stay
					/settings/usage-data                              | /settings/usage-data
					/w/acme/page2                                     | /w/:workspace/page2
					/w/acme/oauth2                                    | /w/:workspace/oauth2
					/library/my-agent                                 | /library/my-agent
					/onboarding/step_3                                | /onboarding/step_3
					# trailing and repeated slashes, dot segments, whitespace
					/                                                 | /
					/settings/usage-data/                             | /settings/usage-data
					/settings//usage-data                             | /settings/usage-data
					//                                                | /
					/w/acme/./apps/../x                               | /w/:workspace/apps/:objectId
					'  /settings  '                                   | /settings
					# query, fragment and matrix parameters
					/w/acme/settings#billing                          | /w/:workspace/settings
					/w/acme/settings?tab=members#invite               | /w/:workspace/settings
					/?next=/w/acme                                    | /
					/w/acme;jsessionid=ABC123DEF456/apps              | /w/:workspace/apps
					# full URLs and hosts: the path only
					https://app.second.so/w/acme/apps/abc123def?tab=code | /w/:workspace/apps/:objectId
					http://localhost:3000/w/acme                      | /w/:workspace
					https://user:secret@app.second.so/settings        | /settings
					https://app.second.so                             | /
					https://app.second.so?x=1                         | /
					//app.second.so/w/acme                            | /w/:workspace
					app.second.so/w/acme/apps/x                       | /w/:workspace/apps/:objectId
					localhost:5173/settings                           | /settings
					w/acme/apps/x                                     | /w/:workspace/apps/:objectId
					settings                                          | /settings
					\\w\\acme\\apps\\x                                | /w/:workspace/apps/:objectId
					mailto:jane@example.com                           | /:id
					# encoded characters
					/w/%61cme/%61pps/x                                | /w/:workspace/apps/:objectId
					/w/acme/docs/getting%20started                    | /w/:workspace/docs/:id
					/w/acme/caf%C3%A9                                 | /w/:workspace/:id
					/w/acme/bad%zzescape                              | /w/:workspace/:id
					/w/acme/a%2Fb                                     | /w/:workspace/:id
					/w/acme/%E2%80%AE                                 | /w/:workspace/:id
					/w/acme/%FF%FE                                    | /w/:workspace/:id
					# placeholders: known ones stay, unknown ones become :id
					/w/:workspace/apps/:objectId                      | /w/:workspace/apps/:objectId
					/w/:workspace/apps/:objectId/runs/:runId          | /w/:workspace/apps/:objectId/runs/:runId
					/w/:workspace/integrations/:integration           | /w/:workspace/integrations/:integration
					/w/:workspace/library/:id                         | /w/:workspace/library/:id
					/w/:workspace/:janeDoeSecret                      | /w/:workspace/:id
					# case of the position words
					/W/acme/APPS/x                                    | /W/:workspace/APPS/:objectId
					# long literals
					/w/acme/some-very-long-kebab-case-route-name-here | /w/:workspace/:id
					/w/acme/WorkspaceSettingsPage                     | /w/:workspace/:id
					""")
	void normalizesRealLookingRoutes(String route, String expected) {
		assertThat(RouteShapes.normalize(route)).isEqualTo(expected);
	}

	@Test
	void emptyRouteIsTheRoot() {
		assertThat(RouteShapes.normalize("")).isEqualTo("/");
	}

	@Test
	void nullStaysNull() {
		assertThat(RouteShapes.normalize(null)).isNull();
	}

	@Test
	void keepsAtMostTheBoundOfSegments() {
		String shape = RouteShapes.normalize("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t");
		assertThat(shape).isEqualTo("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p");
		assertThat(shape.split("/")).hasSize(Limits.MAX_ROUTE_SEGMENTS + 1);
	}

	@Test
	void literalOfTheBoundLengthStays() {
		String word = "x".repeat(Limits.MAX_ROUTE_LITERAL_LENGTH);
		assertThat(RouteShapes.normalize("/" + word)).isEqualTo("/" + word);
		assertThat(RouteShapes.normalize("/" + word + "x")).isEqualTo("/:id");
	}

	@Test
	void handlesAHugeRoute() {
		String huge = "/w/acme/" + "x".repeat(1_000_000);
		assertThat(RouteShapes.normalize(huge)).isEqualTo("/w/:workspace/:id");
	}

}
