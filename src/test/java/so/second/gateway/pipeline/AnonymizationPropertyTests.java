package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The privacy promise, checked on generated users and hostile property trees: an
 * anonymized event's serialized form holds no stripped key, no email, URL or UUID (other
 * than its own uuid and anonymous id), and not the user's id, email or name.
 */
class AnonymizationPropertyTests {

	private static final TrackingPlan PLAN = TrackingPlan.fromClasspath();

	private static final CapturePipeline PIPELINE = new CapturePipeline(PLAN,
			new ReleaseMetadata("1.4.0", "@second-inc/cli", null, "0.9.1", null), "0.1.0");

	private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

	// Independent of the pipeline's own detectors on purpose.
	private static final Pattern EMAIL = Pattern
		.compile("[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}");

	private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|ftp)://|\\bwww\\.[a-z0-9-]+\\.[a-z]{2,}");

	private static final Pattern UUID = Pattern
		.compile("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");

	private static final Set<String> FORBIDDEN_DOLLAR_KEYS = Set.of("$ip", "$set", "$set_once", "$identify",
			"$create_alias", "$anon_distinct_id");

	private static final Set<String> GATEWAY_KEYS = Set.of("$lib", "$lib_version", "$process_person_profile",
			"$geoip_disable");

	/** One generated case: a user, the browser's anonymous id and a raw event. */
	record Case(HostileTrees.User user, String anonymousId, Map<String, Object> rawEvent) {

		@Override
		public String toString() {
			return "user=" + this.user + "\nevent=" + TestJson.write(this.rawEvent);
		}

	}

	@Provide
	Arbitrary<Case> cases() {
		return Arbitraries.randomValue((random) -> {
			HostileTrees.User user = HostileTrees.user(random);
			String anonymousId = HostileTrees.anonymousId();
			Map<String, Object> raw = new LinkedHashMap<>();
			raw.put("event",
					TrackingPlanTests.NINETEEN_EVENTS.get(random.nextInt(TrackingPlanTests.NINETEEN_EVENTS.size())));
			raw.put("anonymousId", anonymousId);
			raw.put("distinct_id", user.id());
			Map<String, Object> properties = HostileTrees.tree(random, user, 1 + random.nextInt(6));
			addDeclaredLookalikes(random, user, raw.get("event").toString(), properties);
			raw.put("properties", properties);
			return new Case(user, anonymousId, raw);
		});
	}

	/**
	 * Puts hostile values under keys the plan declares, so the declared path is exercised
	 * too.
	 */
	private static void addDeclaredLookalikes(Random random, HostileTrees.User user, String event,
			Map<String, Object> properties) {
		List<String> declared = List.copyOf(PLAN.event(event).properties().keySet());
		for (String key : declared) {
			if (random.nextBoolean()) {
				properties.put(key, HostileTrees.value(random, user, 0));
			}
		}
		if (!declared.isEmpty() && random.nextBoolean()) {
			String key = declared.get(random.nextInt(declared.size()));
			String id = HostileTrees.identifierOf(random, user);
			properties.put(key, id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
		}
		if (random.nextBoolean()) {
			properties.put("surface", HostileTrees.identifierOf(random, user).toLowerCase(Locale.ROOT));
		}
		if (random.nextBoolean()) {
			properties.put("route_shape", HostileTrees.route(random, user));
		}
	}

	private static EventOutcome.Accepted process(Case c) {
		RequestContext context = new RequestContext(c.user().id(), c.user().email(), c.user().name(), true,
				"203.0.113.9", NOW);
		EventOutcome outcome = PIPELINE.process(c.rawEvent(), context);
		assertThat(outcome).isInstanceOf(EventOutcome.Accepted.class);
		return (EventOutcome.Accepted) outcome;
	}

	@Property(tries = 500)
	void anonymizedOutputHoldsNoIdentifierOfTheUser(@ForAll("cases") Case c) {
		OutgoingEvent event = process(c).event();
		String json = TestJson.write(event);
		String lower = json.toLowerCase(Locale.ROOT);
		assertThat(lower).doesNotContain(c.user().id().toLowerCase(Locale.ROOT));
		assertThat(lower).doesNotContain(c.user().email().toLowerCase(Locale.ROOT));
		if (c.user().name().codePointCount(0, c.user().name().length()) >= 3) {
			assertThat(lower).doesNotContain(c.user().name().toLowerCase(Locale.ROOT));
		}
	}

	@Property(tries = 500)
	void anonymizedOutputHoldsNoEmailUrlOrForeignUuid(@ForAll("cases") Case c) {
		OutgoingEvent event = process(c).event();
		String json = TestJson.write(event)
			.replace(event.distinctId(), "<anonymous id>")
			.replace(event.uuid().toString(), "<uuid>");
		assertThat(EMAIL.matcher(json).find()).as("email in %s", json).isFalse();
		assertThat(URL.matcher(json).find()).as("URL in %s", json).isFalse();
		assertThat(UUID.matcher(json).find()).as("UUID in %s", json).isFalse();
	}

	@Property(tries = 500)
	void anonymizedOutputHoldsOnlyDeclaredAndGatewayKeys(@ForAll("cases") Case c) {
		EventOutcome.Accepted accepted = process(c);
		OutgoingEvent event = accepted.event();
		Set<String> allowed = new HashSet<>(PLAN.event(event.event()).properties().keySet());
		allowed.addAll(PageContext.KEYS);
		allowed.addAll(ReleaseStage.KEYS);
		allowed.addAll(GATEWAY_KEYS);
		assertThat(allowed).containsAll(event.properties().keySet());
		assertKeysAtAnyDepth(event.properties());
		assertThat(event.distinctId()).isEqualTo(c.anonymousId());
		assertThat(event.properties()).containsEntry("$process_person_profile", false)
			.containsEntry("$geoip_disable", true);
		assertThat(accepted.droppedUndeclaredKeys()).doesNotContainAnyElementsOf(event.properties().keySet());
	}

	private static void assertKeysAtAnyDepth(Object value) {
		if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				String key = (String) entry.getKey();
				assertThat(FORBIDDEN_DOLLAR_KEYS).doesNotContain(key);
				assertThat(isStrippedByTheContract(key)).as("stripped key %s", key).isFalse();
				assertKeysAtAnyDepth(entry.getValue());
			}
		}
		else if (value instanceof List<?> list) {
			list.forEach(AnonymizationPropertyTests::assertKeysAtAnyDepth);
		}
	}

	/**
	 * The contract's stripping rules, restated independently of {@link IdentifierRules}.
	 */
	private static boolean isStrippedByTheContract(String key) {
		if (key.equals("runtime_id")) {
			return false;
		}
		if (key.matches(".*_(id|ids|email|name|names)") || key.matches("id|ids|email|name|names")) {
			return true;
		}
		if (key.endsWith("_count") || key.endsWith("_ms") || key.equals("error_code")) {
			return false;
		}
		return List.of(key.split("_"))
			.stream()
			.anyMatch((word) -> Set
				.of("user", "workspace", "app", "run", "agent", "prompt", "message", "error", "suggestion", "url",
						"referrer", "referer")
				.contains(word));
	}

}
