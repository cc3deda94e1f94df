package so.second.gateway.pipeline;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Plants identifiers of every family the contract names into events, the way an attacker
 * or a careless call site would, and scans what the pipeline lets out. Shared by the
 * property tests, the on-demand fuzz run and the end-to-end test through HTTP. Test-only.
 */
public final class PlantedIdentifiers {

	/** A generated user: the identifiers that must never leave an anonymized event. */
	public record User(String id, String email, String firstName, String lastName) {

		public String name() {
			return this.firstName + " " + this.lastName;
		}

		/** Skeletons (letters and digits, lower case) of every identifier of the user. */
		List<String> needles() {
			String local = this.email.substring(0, this.email.indexOf('@'));
			return List.of(skeleton(this.id), skeleton(this.email), skeleton(local), skeleton(this.firstName),
					skeleton(this.lastName));
		}

	}

	/** A planted event: its raw form and every planted string, for the scan. */
	public record Planted(Map<String, Object> rawEvent, List<String> plantedValues) {
	}

	// Syllables of rare letters, so a generated name cannot occur by chance in a
	// vocabulary word or a key of the forwarded JSON.
	private static final List<String> SYLLABLES = List.of("qu", "zo", "xa", "vy", "jek", "kri", "zam", "quo", "xil",
			"vex", "jub", "zyk", "qir", "wuz", "fyx");

	private static final List<String> SEPARATORS = List.of("", "-", "_", ".", ":", " ", "");

	private static final List<String> SAFE_WORDS = List.of("github", "install", "apps", "library", "settings",
			"approve", "preview", "manual", "ETIMEDOUT", "claude-sonnet-4-5", "workspace_home", "codex");

	// The scan's detectors, independent of the pipeline's own on purpose.
	private static final Pattern EMAIL = Pattern.compile("[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(\\.[\\p{L}\\p{N}-]+)+");

	private static final Pattern URL = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://|\\bhttps?:|\\bwww\\.");

	private static final Pattern UUID_ANY_SEPARATOR = Pattern.compile(
			"(?i)[0-9a-f]{8}[^0-9a-z]?[0-9a-f]{4}[^0-9a-z]?[0-9a-f]{4}[^0-9a-z]?[0-9a-f]{4}[^0-9a-z]?[0-9a-f]{12}");

	private static final Pattern IPV4 = Pattern.compile("(?<![0-9])[0-9]{1,3}(\\.[0-9]{1,3}){3}(?![0-9])");

	private static final Pattern IPV6 = Pattern.compile("(?i)[0-9a-f]{1,4}(:[0-9a-f]{0,4}){2,7}|::[0-9a-f]{1,4}");

	private static final Pattern HOST = Pattern.compile("(?i)\\b[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}\\b");

	private static final Set<String> GATEWAY_KEYS = Set.of("$lib", "$lib_version", "$process_person_profile",
			"$geoip_disable");

	private PlantedIdentifiers() {
	}

	/**
	 * A user with a random two-part name, an email made of it and a UUID id.
	 * @param random the source of randomness
	 * @return the user
	 */
	public static User user(Random random) {
		String first = name(random);
		String last = name(random);
		String email = first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT) + random.nextInt(100) + "@"
				+ name(random).toLowerCase(Locale.ROOT) + ".example";
		return new User(UUID.randomUUID().toString(), email, first, last);
	}

	/**
	 * One value of a random identifier family, spelled in a random way.
	 * @param random the source of randomness
	 * @param user the user whose identifiers may be planted
	 * @return the value
	 */
	public static String identifier(Random random, User user) {
		String separator = SEPARATORS.get(random.nextInt(SEPARATORS.size()));
		return switch (random.nextInt(26)) {
			case 0 -> user.firstName();
			case 1 -> user.lastName().toUpperCase(Locale.ROOT);
			case 2 -> user.firstName() + separator + user.lastName();
			case 3 -> user.id().replace("-", separator);
			case 4 -> user.id().toUpperCase(Locale.ROOT).replace("-", ".");
			case 5 -> user.email();
			case 6 -> user.email().substring(0, user.email().indexOf('@'));
			case 7 -> Base64.getEncoder().encodeToString(user.email().getBytes(StandardCharsets.UTF_8));
			case 8 ->
				Base64.getUrlEncoder().withoutPadding().encodeToString(user.email().getBytes(StandardCharsets.UTF_8));
			case 9 -> URLEncoder.encode(user.name(), StandardCharsets.UTF_8).replace("+", "%20");
			case 10 -> withInvisible(random, user.firstName());
			case 11 -> fullwidth(user.lastName());
			case 12 -> "/Users/" + user.firstName().toLowerCase(Locale.ROOT) + "/projects";
			case 13 -> "2001:db8::" + Integer.toHexString(random.nextInt(0xffff)) + ":7334";
			case 14 -> "ECONNREFUSED_203.0." + random.nextInt(256) + "." + random.nextInt(256);
			case 15 -> name(random).toLowerCase(Locale.ROOT) + ".internal.corp";
			case 16 -> "https:" + name(random).toLowerCase(Locale.ROOT) + ".example";
			case 17 -> "https://" + name(random).toLowerCase(Locale.ROOT) + ".example/a?b=1";
			case 18 -> UUID.randomUUID().toString().replace("-", ".");
			case 19 -> "sk-proj-" + token(random, 32);
			case 20 -> "eyJhbGciOiJIUzI1NiJ9." + token(random, 24) + "." + token(random, 32);
			case 21 -> "4111 1111 1111 1111";
			case 22 -> "+1 415 555 " + (1000 + random.nextInt(9000));
			case 23 -> "/team/" + user.lastName().toLowerCase(Locale.ROOT) + "-corp/settings";
			case 24 -> "/share/" + token(random, 5).toLowerCase(Locale.ROOT) + "/view";
			default -> "anon_" + user.id();
		};
	}

	/**
	 * An event of a random name with identifiers planted in every declared property, in
	 * the page context and under random undeclared keys at random depths, plus an
	 * {@code anonymousId} and a client {@code uuid}.
	 * @param random the source of randomness
	 * @param user the user
	 * @param plan the tracking plan whose declared properties are targeted
	 * @return the event and what was planted
	 */
	public static Planted event(Random random, User user, TrackingPlan plan) {
		List<String> names = List.copyOf(plan.eventNames());
		String name = names.get(random.nextInt(names.size()));
		List<String> planted = new ArrayList<>();
		Map<String, Object> properties = new LinkedHashMap<>();
		for (String key : plan.event(name).properties().keySet()) {
			properties.put(key, random.nextInt(4) == 0 ? safeWord(random) : plant(random, user, planted));
		}
		properties.put("surface", random.nextInt(4) == 0 ? "workspace_home" : plant(random, user, planted));
		String inRoute = plant(random, user, planted);
		properties.put("route_shape", switch (random.nextInt(4)) {
			case 0 -> "/w/" + inRoute + "/settings";
			case 1 -> "/library/" + inRoute;
			case 2 -> "https://app.example/w/x/apps/" + inRoute + "?ref=" + inRoute;
			default -> inRoute;
		});
		properties.put("viewport_width", 1280);
		for (int i = random.nextInt(4); i > 0; i--) {
			properties.put(undeclaredKey(random), nested(random, user, planted, 1 + random.nextInt(3)));
		}
		Map<String, Object> raw = new LinkedHashMap<>();
		raw.put("event", name);
		raw.put("anonymousId", "anon_" + UUID.randomUUID());
		raw.put("uuid", UUID.randomUUID().toString());
		raw.put("properties", properties);
		return new Planted(raw, planted);
	}

	/**
	 * Every leak in an outgoing event: a planted value or one of the user's identifiers
	 * in any spelling, or an email, URL, UUID, IP address or host name anywhere in what
	 * the client could influence.
	 * @param event the forwarded event
	 * @param user the user
	 * @param planted what was planted
	 * @return a description of each leak; empty when there is none
	 */
	public static List<String> leaks(Map<String, Object> event, User user, List<String> planted) {
		List<String> leaks = new ArrayList<>();
		@SuppressWarnings("unchecked")
		Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) event.get("properties"));
		properties.keySet().removeAll(ReleaseStage.KEYS);
		properties.keySet().removeAll(GATEWAY_KEYS);
		List<String> strings = new ArrayList<>();
		collectStrings(properties, strings);
		for (String value : strings) {
			String lower = value.toLowerCase(Locale.ROOT);
			String valueSkeleton = skeleton(value);
			for (String needle : user.needles()) {
				if (needle.length() >= 3 && valueSkeleton.contains(needle)) {
					leaks.add("the user's identifier " + needle + " in " + value);
				}
			}
			for (String plantedValue : planted) {
				if (plantedValue.length() >= 4 && lower.contains(plantedValue.toLowerCase(Locale.ROOT))) {
					leaks.add("planted " + plantedValue + " in " + value);
				}
			}
			for (Pattern family : List.of(EMAIL, URL, UUID_ANY_SEPARATOR, IPV4, IPV6, HOST)) {
				if (family.matcher(value).find()) {
					leaks.add(family.pattern() + " in " + value);
				}
			}
		}
		if (!String.valueOf(event.get("distinct_id")).startsWith("anon_")
				|| skeleton(String.valueOf(event.get("distinct_id"))).contains(skeleton(user.id()))) {
			leaks.add("distinct_id " + event.get("distinct_id"));
		}
		if (skeleton(String.valueOf(event.get("uuid"))).equals(skeleton(user.id()))) {
			leaks.add("uuid is the user id");
		}
		return leaks;
	}

	private static void collectStrings(Object value, List<String> into) {
		if (value instanceof String s) {
			into.add(s);
		}
		else if (value instanceof Map<?, ?> map) {
			map.forEach((key, child) -> {
				into.add(String.valueOf(key));
				collectStrings(child, into);
			});
		}
		else if (value instanceof List<?> list) {
			list.forEach(child -> collectStrings(child, into));
		}
	}

	private static String plant(Random random, User user, List<String> planted) {
		String value = identifier(random, user);
		planted.add(value);
		return value;
	}

	private static Object nested(Random random, User user, List<String> planted, int depth) {
		if (depth == 0) {
			return plant(random, user, planted);
		}
		if (random.nextBoolean()) {
			return List.of(nested(random, user, planted, depth - 1), plant(random, user, planted));
		}
		Map<String, Object> map = new LinkedHashMap<>();
		map.put(undeclaredKey(random), nested(random, user, planted, depth - 1));
		return map;
	}

	private static String undeclaredKey(Random random) {
		return List.of("note", "label", "color", "detail", "workspace_slug", "owner", "context", "extra", "meta")
			.get(random.nextInt(9));
	}

	private static String safeWord(Random random) {
		return SAFE_WORDS.get(random.nextInt(SAFE_WORDS.size()));
	}

	private static String name(Random random) {
		StringBuilder name = new StringBuilder();
		for (int i = 2 + random.nextInt(2); i > 0; i--) {
			name.append(SYLLABLES.get(random.nextInt(SYLLABLES.size())));
		}
		name.setCharAt(0, Character.toUpperCase(name.charAt(0)));
		return name.toString();
	}

	private static String token(Random random, int length) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
		StringBuilder token = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			token.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return token.toString();
	}

	private static String withInvisible(Random random, String word) {
		StringBuilder out = new StringBuilder();
		for (char c : word.toCharArray()) {
			out.append(c);
			if (random.nextBoolean()) {
				out.append(List.of('\u200B', '\u200D', '\u2060', '\u00AD').get(random.nextInt(4)));
			}
		}
		return out.toString();
	}

	private static String fullwidth(String word) {
		StringBuilder out = new StringBuilder();
		for (char c : word.toCharArray()) {
			out.append((c >= '!' && c <= '~') ? (char) (c - '!' + '\uFF01') : c);
		}
		return out.toString();
	}

	static String skeleton(String s) {
		return UserIdentity.skeleton(s);
	}

}
