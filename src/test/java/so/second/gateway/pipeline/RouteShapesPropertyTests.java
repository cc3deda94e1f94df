package so.second.gateway.pipeline;

import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the browser sends, a route shape is a safe, bounded, stable path. */
class RouteShapesPropertyTests {

	private static final Pattern SHAPE = Pattern
		.compile("/|(/(:workspace|:objectId|:runId|:agentId|:integration|:id|[A-Za-z0-9_-]{1,32}))+");

	@Provide
	Arbitrary<String> routes() {
		Arbitrary<String> segments = Arbitraries.oneOf(
				Arbitraries.of("w", "apps", "runs", "agents", "integrations", "settings", "library", "", ".", "..",
						":workspace", ":objectId", ":x", "%2F", "%zz", "%41pps", "?q=1", "#frag", ";jsessionid=1",
						"a@b.c", "example.com", "http:", "//", "\\"),
				Arbitraries.create(() -> java.util.UUID.randomUUID().toString()),
				Arbitraries.integers().between(0, 1_000_000).map(String::valueOf),
				Arbitraries.strings().ofMaxLength(40));
		return segments.list().ofMaxSize(25).map((parts) -> (parts.isEmpty() ? "" : "/") + String.join("/", parts));
	}

	@Property(tries = 1000)
	void shapeIsSafeBoundedAndStable(@ForAll("routes") String route) {
		String shape = RouteShapes.normalize(route);
		assertThat(shape).matches(SHAPE);
		assertThat(shape.split("/").length - 1).isLessThanOrEqualTo(Limits.MAX_ROUTE_SEGMENTS);
		assertThat(RouteShapes.normalize(shape)).isEqualTo(shape);
	}

	@Property(tries = 300)
	void anyStringGivesAShape(@ForAll String route) {
		assertThat(RouteShapes.normalize(route)).matches(SHAPE);
	}

}
