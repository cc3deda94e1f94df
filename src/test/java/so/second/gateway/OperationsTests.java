package so.second.gateway;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators and API users see besides the product routes: the OpenAPI description,
 * health and metrics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OperationsTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Test
	@SuppressWarnings("unchecked")
	void openApiDocumentDescribesEveryApiRoute() {
		Reply reply = ApiClient.forPort(this.port).get("/v3/api-docs");
		assertThat(reply.status()).isEqualTo(200);
		Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) reply.json().get("paths");

		Set<String> routes = new TreeSet<>();
		this.mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().forEach(pattern -> {
			if (pattern.startsWith("/api/")) {
				info.getMethodsCondition().getMethods().forEach(method -> routes.add(method + " " + pattern));
			}
		}));
		routes.add("POST /api/auth/logout");

		assertThat(routes).hasSizeGreaterThanOrEqualTo(9);
		for (String route : routes) {
			String[] methodAndPath = route.split(" ");
			assertThat(paths).as(route).containsKey(methodAndPath[1]);
			assertThat(paths.get(methodAndPath[1])).as(route).containsKey(methodAndPath[0].toLowerCase());
		}
	}

	@Test
	void loadBalancerProbesOnTheMainPortShowTheOverallStatusOnly() {
		ApiClient client = ApiClient.forPort(this.port);

		Reply live = client.get("/livez");
		Reply ready = client.get("/readyz");

		assertThat(live.status()).isEqualTo(200);
		assertThat(live.json()).isEqualTo(Map.of("status", "UP"));
		assertThat(ready.status()).isEqualTo(200);
		assertThat(ready.json()).isEqualTo(Map.of("status", "UP"));
	}

	@Test
	void healthWithItsGroupsAndPrometheusAnswerOnTheManagementPort() {
		ApiClient operator = ApiClient.forPort(this.managementPort);

		assertThat(operator.get("/actuator/health").json()).containsEntry("status", "UP");
		assertThat(operator.get("/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(operator.get("/actuator/health/readiness").status()).isEqualTo(200);
		Reply metrics = operator.get("/actuator/prometheus");
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");
	}

	@Test
	void theOperatorsEndpointsAreNotOnThePublicPort() {
		ApiClient client = ApiClient.forPort(this.port);

		for (String path : List.of("/actuator", "/actuator/health", "/actuator/health/readiness",
				"/actuator/prometheus", "/actuator/info")) {
			Reply reply = client.get(path);
			assertThat(reply.status()).as(path).isEqualTo(404);
			assertThat(reply.body()).as(path).doesNotContain("jvm_").doesNotContain("\"status\":\"UP\"");
		}
	}

	@Test
	void noPageOfLinksEchoesTheHostHeader() throws Exception {
		String answer = RawHttp.exchange(this.managementPort,
				"GET /actuator HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");

		assertThat(answer).startsWith("HTTP/1.1 404").doesNotContain("evil.example");
	}

	@Test
	void unknownApiRouteIsAProblem() {
		ApiClient client = ApiClient.forPort(this.port);
		client.signUpAndOnboard();

		Reply reply = client.get("/api/no-such-route");

		assertThat(reply.status()).isEqualTo(404);
		assertThat(reply.isProblem()).isTrue();
	}

}
