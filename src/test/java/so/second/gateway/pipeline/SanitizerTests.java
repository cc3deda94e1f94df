package so.second.gateway.pipeline;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static so.second.gateway.pipeline.TestMaps.map;

class SanitizerTests {

	@Test
	void keepsSnakeCaseKeysAndPlainValues() {
		Map<String, Object> out = Sanitizer.sanitize(map("item", "apps", "count_2", 3, "ok", true, "none", null));
		assertThat(out).containsExactly(Map.entry("item", "apps"), Map.entry("count_2", 3), Map.entry("ok", true),
				new AbstractMap.SimpleEntry<>("none", null));
	}

	@Test
	void dropsDollarKeys() {
		Map<String, Object> out = Sanitizer.sanitize(map("$set", map("email", "a@b.c"), "$ip", "1.2.3.4", "item", "x"));
		assertThat(out).containsOnlyKeys("item");
	}

	@Test
	void dropsTopLevelKeysPostHogReservesForTheEventItself() {
		Map<String, Object> out = Sanitizer.sanitize(map("distinct_id", "someone-else", "token", "phc_other", "api_key",
				"phc_other", "uuid", "0190b1a2-0000-7000-8000-000000000000", "timestamp", "2020-01-01T00:00:00Z",
				"event", "$identify", "item", "x"));
		assertThat(out).containsOnlyKeys("item");
	}

	@Test
	void keepsReservedNamesInsideNestedObjects() {
		Map<String, Object> out = Sanitizer.sanitize(map("filter", map("event", "build completed")));
		assertThat(out.get("filter")).isEqualTo(Map.of("event", "build completed"));
	}

	@Test
	void dropsKeysThatAreNotSnakeCase() {
		Map<String, Object> out = Sanitizer.sanitize(map("camelCase", 1, "kebab-key", 1, "_leading", 1, "9lives", 1, "",
				1, "with space", 1, "ünïcode", 1, "UPPER", 1, "good_key", 1));
		assertThat(out).containsOnlyKeys("good_key");
	}

	@Test
	void dropsKeysLongerThanTheBound() {
		String longest = "k".repeat(Limits.MAX_KEY_LENGTH);
		Map<String, Object> out = Sanitizer.sanitize(map(longest, 1, longest + "x", 2));
		assertThat(out).containsOnlyKeys(longest);
	}

	@Test
	void dropsNonStringKeysOfNestedObjects() {
		Map<Object, Object> nested = new HashMap<>();
		nested.put(42, "x");
		nested.put(null, "y");
		nested.put("fine", "z");
		Map<String, Object> out = Sanitizer.sanitize(map("nested", nested));
		assertThat(out.get("nested")).isEqualTo(Map.of("fine", "z"));
	}

	@Test
	void cutsLongStringsToTheBound() {
		Map<String, Object> out = Sanitizer.sanitize(map("text", "x".repeat(5000)));
		assertThat((String) out.get("text")).hasSize(Limits.MAX_STRING_LENGTH);
	}

	@Test
	void cutsLongStringsWithoutSplittingASurrogatePair() {
		String s = "a" + "😀".repeat(Limits.MAX_STRING_LENGTH);
		String out = (String) Sanitizer.sanitize(map("text", s)).get("text");
		assertThat(out.length()).isEqualTo(Limits.MAX_STRING_LENGTH - 1);
		assertThat(Character.isHighSurrogate(out.charAt(out.length() - 1))).isFalse();
	}

	@Test
	void removesControlAndInvisibleFormatCharacters() {
		String out = Sanitizer.cleanString("a\u0000b\u0007c\u200Bd\u202Ee\uFEFFf\u001B[31m");
		assertThat(out).isEqualTo("abcdef[31m");
	}

	@Test
	void turnsLineBreaksAndTabsIntoSpaces() {
		assertThat(Sanitizer.cleanString("one\ntwo\tthree\r\nfour\u2028five")).isEqualTo("one two three  four five");
	}

	@Test
	void removesUnpairedSurrogates() {
		assertThat(Sanitizer.cleanString("a\uD800b\uDC00c😀")).isEqualTo("abc😀");
	}

	@Test
	void keepsUnicodeText() {
		assertThat(Sanitizer.cleanString("Zoë 李小龙 مرحبا")).isEqualTo("Zoë 李小龙 مرحبا");
	}

	@Test
	void dropsNonFiniteNumbers() {
		Map<String, Object> out = Sanitizer.sanitize(
				map("nan", Double.NaN, "inf", Double.POSITIVE_INFINITY, "ninf", Float.NEGATIVE_INFINITY, "fine", 1.5));
		assertThat(out).containsOnlyKeys("fine");
	}

	@Test
	void dropsBigNumbersOutsideTheRangeOfADouble() {
		Map<String, Object> out = Sanitizer.sanitize(map("huge_decimal", new BigDecimal("1e400"), "huge_integer",
				BigInteger.TEN.pow(400), "fine", new BigDecimal("12.5")));
		assertThat(out).containsOnly(Map.entry("fine", 12.5));
	}

	@Test
	void normalizesNumberTypes() {
		Map<String, Object> out = Sanitizer.sanitize(map("i", 1, "l", 2L, "s", (short) 3, "b", (byte) 4, "f", 0.1f,
				"bi", BigInteger.valueOf(5), "bigger", BigInteger.TWO.pow(70), "bd", new BigDecimal("0.25")));
		assertThat(out).containsExactly(Map.entry("i", 1), Map.entry("l", 2L), Map.entry("s", 3), Map.entry("b", 4),
				Map.entry("f", 0.1), Map.entry("bi", 5L), Map.entry("bigger", Math.pow(2, 70)), Map.entry("bd", 0.25));
	}

	@Test
	void dropsValuesOfUnknownTypes() {
		Map<String, Object> out = Sanitizer
			.sanitize(map("object", new Object(), "char", 'c', "set", java.util.Set.of(1), "fine", "x"));
		assertThat(out).containsOnlyKeys("fine");
	}

	@Test
	void dropsContainersNestedBelowTheDepthBound() {
		Map<String, Object> level4 = map("leaf", 1, "too_deep", map("x", 1), "too_deep_list", List.of(1));
		Map<String, Object> out = Sanitizer.sanitize(map("a", map("b", map("c", level4))));
		assertThat(out).isEqualTo(map("a", map("b", map("c", map("leaf", 1)))));
	}

	@Test
	void survivesACyclicTree() {
		Map<String, Object> cyclic = new HashMap<>();
		cyclic.put("self", cyclic);
		cyclic.put("v", 1);
		Map<String, Object> out = Sanitizer.sanitize(cyclic);
		assertThat(TreeBounds.depth(out)).isLessThanOrEqualTo(Limits.MAX_DEPTH);
	}

	@Test
	void cutsArraysToTheBound() {
		List<Object> list = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			list.add(i);
		}
		@SuppressWarnings("unchecked")
		List<Object> out = (List<Object>) Sanitizer.sanitize(map("list", list)).get("list");
		assertThat(out).hasSize(Limits.MAX_ARRAY_LENGTH).startsWith(0, 1, 2);
	}

	@Test
	void keepsAtMostTheBoundOfPropertiesPerObject() {
		Map<String, Object> wide = new LinkedHashMap<>();
		for (int i = 0; i < 300; i++) {
			wide.put("k" + i, i);
		}
		Map<String, Object> out = Sanitizer.sanitize(wide);
		assertThat(out).hasSize(Limits.MAX_PROPERTIES_PER_OBJECT).containsKey("k0").doesNotContainKey("k100");
	}

	@Test
	void spendsAtMostTheValueBudgetPerEvent() {
		Map<String, Object> wide = new LinkedHashMap<>();
		for (int i = 0; i < 100; i++) {
			List<Object> list = new ArrayList<>();
			for (int j = 0; j < 50; j++) {
				list.add(j);
			}
			wide.put("k" + i, list);
		}
		Map<String, Object> out = Sanitizer.sanitize(wide);
		assertThat(TreeBounds.valueCount(out)).isLessThanOrEqualTo(Limits.MAX_VALUES_PER_EVENT);
	}

	@Test
	void givesAnEmptyMapForMissingOrNonObjectProperties() {
		assertThat(Sanitizer.sanitize(null)).isEmpty();
		assertThat(Sanitizer.sanitize("text")).isEmpty();
		assertThat(Sanitizer.sanitize(List.of(1))).isEmpty();
	}

}
