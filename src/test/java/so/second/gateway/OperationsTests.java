package so.second.gateway;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What operators and API users see besides the product routes: the OpenAPI description,
 * health and metrics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OperationsTests {

	@LocalServerPort
	int port;

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
	void healthLivenessAndReadinessAreUp() {
		ApiClient client = ApiClient.forPort(this.port);

		assertThat(client.get("/actuator/health").json()).containsEntry("status", "UP");
		assertThat(client.get("/actuator/health/liveness").status()).isEqualTo(200);
		assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(200);
	}

	@Test
	void prometheusMetricsAreExposed() {
		Reply reply = ApiClient.forPort(this.port).get("/actuator/prometheus");

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.body()).contains("jvm_memory_used_bytes");
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
