package so.second.gateway.pipeline;

import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** The sanitizer never throws, and its output keeps every documented bound. */
class SanitizerPropertyTests {

	@Provide
	Arbitrary<Map<String, Object>> trees() {
		return Arbitraries
			.randomValue((random) -> HostileTrees.tree(random, HostileTrees.user(random), 1 + random.nextInt(8)));
	}

	@Property(tries = 500)
	void outputKeepsEveryBound(@ForAll("trees") Map<String, Object> tree) {
		Map<String, Object> out = Sanitizer.sanitize(tree);
		assertThat(TreeBounds.violation(out)).isNull();
		assertThat(TreeBounds.depth(out)).isLessThanOrEqualTo(Limits.MAX_DEPTH);
		assertThat(TreeBounds.valueCount(out)).isLessThanOrEqualTo(Limits.MAX_VALUES_PER_EVENT);
	}

	@Property(tries = 300)
	void cleaningAnyStringKeepsTheStringBounds(@ForAll String s) {
		String cleaned = Sanitizer.cleanString(s);
		assertThat(TreeBounds.violation(cleaned)).isNull();
		assertThat(Sanitizer.cleanString(cleaned)).isEqualTo(cleaned);
	}

	@Property(tries = 200)
	void sanitizingTwiceChangesNothing(@ForAll("trees") Map<String, Object> tree) {
		Map<String, Object> once = Sanitizer.sanitize(tree);
		assertThat(Sanitizer.sanitize(once)).isEqualTo(once);
	}

}
