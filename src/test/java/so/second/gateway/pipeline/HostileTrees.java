package so.second.gateway.pipeline;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generates hostile event property trees for the property tests: identifier-like keys at
 * any depth; values holding emails, URLs, UUIDs and the user's own id, email or name;
 * unicode, control characters, huge and empty strings; odd numbers; deep and wide
 * nesting. Test-only.
 */
final class HostileTrees {

	/** A generated user whose identifiers must never leave an anonymized event. */
	record User(String id, String email, String name) {
	}

	static final List<String> IDENTIFIER_KEYS = List.of("user", "user_id", "userid", "username", "user_email",
			"workspace", "workspace_id", "workspace_slug", "workspace_name", "app", "app_id", "app_ids", "app_name",
			"app_url", "run", "run_id", "agent", "agent_id", "agent_name", "agent_names", "prompt", "prompt_text",
			"message", "messages", "message_text", "error", "error_message", "raw_error", "error_stack", "suggestion",
			"suggestion_text", "url", "page_url", "current_url", "referrer", "referer", "referring_domain", "email",
			"owner_email", "name", "file_name", "file_names", "id", "ids", "object_id", "thread_id", "phone", "ip",
			"title", "distinct_id", "person_id");

	static final List<String> OTHER_KEYS = List.of("surface", "route_shape", "viewport_width", "viewport_height",
			"release_version", "release_package", "cli_launcher_version", "message_count", "tool_call_count",
			"attachment_count", "file_count", "duration_ms", "runtime_id", "model", "failure_phase", "error_code",
			"item", "action", "integration", "entry_point", "import_kind", "approval_kind", "display_mode", "trigger",
			"position", "suggestion_count", "agent_count", "outcome", "load_ms", "response_ms", "input_character_count",
			"skipped_step_count", "color", "$set", "$set_once", "$ip", "$identify", "$create_alias",
			"$anon_distinct_id", "$process_person_profile", "$geoip_disable", "$lib", "CamelKey", "kebab-key", "", " ",
			"9lives");

	private static final List<String> SAFE_WORDS = List.of("github", "slack", "node22", "python3.12", "install", "apps",
			"library", "settings", "approve", "deny", "preview", "manual", "ETIMEDOUT", "claude-sonnet-4-5",
			"workspace_home", "app_chat", "/w/:workspace/apps/:objectId", "connected", "git");

	private static final List<String> TLDS = List.of("com", "io", "org", "de", "so", "dev", "co.uk");

	private static final List<String> REAL_NAMES = List.of("Ada Lovelace", "José Núñez", "Zoë Ødegaard", "李小龙",
			"Nguyễn Văn An", "Grace Hopper", "Jean-Luc Picard", "Siobhán O'Connor", "Al", "Bo", "Ингрид Бергман",
			"محمد عبدالله");

	private HostileTrees() {
	}

	static Arbitrary<User> users() {
		return Arbitraries.randomValue(HostileTrees::user);
	}

	static User user(Random random) {
		String id = switch (random.nextInt(3)) {
			case 0 -> "usr_" + word(random, "abcdefghijklmnopqrstuvwxyz0123456789", 6, 12);
			case 1 -> UUID.randomUUID().toString();
			// numeric ids of 10+ digits, so they cannot hide inside a
			// bounded count or viewport
			default -> String.valueOf(1_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 8_000_000_000_000L);
		};
		String local = word(random, "abcdefghijklmnopqrstuvwxyz", 3, 8)
				+ (random.nextBoolean() ? "." + word(random, "abcdefghijklmnopqrstuvwxyz", 2, 8) : "")
				+ (random.nextInt(4) == 0 ? "+" + word(random, "abcdefghij0123456789", 1, 5) : "");
		String email = local + "@" + word(random, "abcdefghijklmnopqrstuvwxyz", 3, 10) + "."
				+ TLDS.get(random.nextInt(TLDS.size()));
		String name = random.nextBoolean() ? REAL_NAMES.get(random.nextInt(REAL_NAMES.size()))
				: capitalized(random) + " " + capitalized(random);
		return new User(id, email, name);
	}

	static String anonymousId() {
		return "anon_" + UUID.randomUUID();
	}

	/** A property tree of up to the given depth. */
	static Map<String, Object> tree(Random random, User user, int depth) {
		Map<String, Object> map = new LinkedHashMap<>();
		// wide objects and arrays now and then, mostly
		// near the leaves, so trees stay cheap to build
		int size = (random.nextInt(8 * depth + 1) == 0) ? 50 + random.nextInt(150) : random.nextInt(10);
		for (int i = 0; i < size; i++) {
			map.put(key(random, user), value(random, user, depth - 1));
		}
		return map;
	}

	static String key(Random random, User user) {
		return switch (random.nextInt(10)) {
			case 0, 1, 2, 3 -> IDENTIFIER_KEYS.get(random.nextInt(IDENTIFIER_KEYS.size()));
			case 4, 5, 6 -> OTHER_KEYS.get(random.nextInt(OTHER_KEYS.size()));
			case 7 -> word(random, "abcdefghijklmnopqrstuvwxyz_0123456789", 1, 70);
			case 8 -> identifierOf(random, user).toLowerCase().replaceAll("[^a-z0-9_]", "_");
			default -> unicode(random, 0, 20);
		};
	}

	static Object value(Random random, User user, int depth) {
		int pick = random.nextInt(20);
		if (depth > 0 && pick < 1) {
			return tree(random, user, depth);
		}
		if (depth > 0 && pick < 4) {
			List<Object> list = new ArrayList<>();
			int size = (random.nextInt(8 * depth + 1) == 0) ? 60 + random.nextInt(100) : random.nextInt(6);
			for (int i = 0; i < size; i++) {
				list.add(value(random, user, depth - 1));
			}
			return list;
		}
		return switch (pick) {
			case 4, 5 -> identifierOf(random, user);
			case 6 -> "see " + identifierOf(random, user) + " now";
			case 7 -> email(random);
			case 8 -> url(random);
			case 9 -> uuid(random);
			case 10 -> unicode(random, 0, 40);
			case 11 -> random.nextBoolean() ? "" : "x".repeat(900 + random.nextInt(2000));
			case 12 -> SAFE_WORDS.get(random.nextInt(SAFE_WORDS.size()));
			case 13 -> number(random, user);
			case 14 -> random.nextBoolean();
			case 15 -> null;
			case 16 -> route(random, user);
			default -> word(random, "abcdefghijklmnopqrstuvwxyz_", 1, 30);
		};
	}

	/** The user's id, email or name, as is or in another case. */
	static String identifierOf(Random random, User user) {
		String raw = switch (random.nextInt(3)) {
			case 0 -> user.id();
			case 1 -> user.email();
			default -> user.name();
		};
		return switch (random.nextInt(3)) {
			case 0 -> raw.toUpperCase();
			case 1 -> raw.toLowerCase();
			default -> raw;
		};
	}

	static String email(Random random) {
		return word(random, "abcdefghijklmnopqrstuvwxyz.", 1, 10) + "@"
				+ word(random, "abcdefghijklmnopqrstuvwxyz", 2, 8) + "." + TLDS.get(random.nextInt(TLDS.size()));
	}

	static String url(Random random) {
		String host = word(random, "abcdefghijklmnopqrstuvwxyz", 2, 10) + "." + TLDS.get(random.nextInt(TLDS.size()));
		return switch (random.nextInt(5)) {
			case 0 -> "https://" + host + "/" + word(random, "abcdefghij/", 0, 20);
			case 1 -> "http://" + host + ":8080/x?y=1";
			case 2 -> "www." + host;
			case 3 -> host + "/path/" + word(random, "abcdef", 1, 6);
			default -> "open " + "https://" + host + " please";
		};
	}

	static String uuid(Random random) {
		String uuid = UUID.randomUUID().toString();
		return switch (random.nextInt(4)) {
			case 0 -> uuid.toUpperCase();
			case 1 -> uuid.replace("-", "");
			case 2 -> "id:" + uuid + ";";
			default -> uuid;
		};
	}

	static String route(Random random, User user) {
		return switch (random.nextInt(5)) {
			case 0 -> "/w/acme/apps/" + UUID.randomUUID() + "/runs/" + random.nextInt(10_000) + "?x=1";
			case 1 -> "/w/acme/users/" + user.email();
			case 2 -> "https://app.second.so/w/" + user.id() + "/settings#" + user.email();
			case 3 -> "/library/" + user.name().replace(' ', '-');
			default -> "/settings/usage-data";
		};
	}

	static Object number(Random random, User user) {
		return switch (random.nextInt(9)) {
			case 0 -> random.nextInt();
			case 1 -> random.nextLong();
			case 2 -> random.nextDouble() * 1e6;
			case 3 -> new double[] { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0 }[random
				.nextInt(4)];
			case 4 -> new BigDecimal("1e" + (random.nextInt(800) - 400));
			case 5 -> BigInteger.TEN.pow(random.nextInt(400));
			case 6 -> user.id().chars().allMatch(Character::isDigit) ? Long.parseLong(user.id()) : 7;
			case 7 -> random.nextInt(2000);
			default -> (float) random.nextGaussian();
		};
	}

	/**
	 * Random text across the planes: controls, format characters, surrogates, combining
	 * marks.
	 */
	static String unicode(Random random, int minLength, int maxLength) {
		int length = minLength + random.nextInt(maxLength - minLength + 1);
		StringBuilder out = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			switch (random.nextInt(6)) {
				case 0 -> out.append((char) random.nextInt(0x20));
				case 1 -> out.append((char) (0x200B + random.nextInt(0x10)));
				case 2 -> out.append((char) (0xD800 + random.nextInt(0x800)));
				case 3 -> out.appendCodePoint(0x1F600 + random.nextInt(0x50));
				case 4 -> out.append((char) (0x0300 + random.nextInt(0x70)));
				default -> out.append((char) (0x20 + random.nextInt(0x3000)));
			}
		}
		return out.toString();
	}

	static String word(Random random, String alphabet, int min, int max) {
		int length = min + random.nextInt(max - min + 1);
		StringBuilder out = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			out.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return out.toString();
	}

	private static String capitalized(Random random) {
		String word = word(random, "abcdefghijklmnopqrstuvwxyzéøñ", 2, 9);
		return Character.toUpperCase(word.charAt(0)) + word.substring(1);
	}

}
