package so.second.gateway.pipeline;

import java.time.Instant;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The value side of the privacy promise at scale (docs/api.md, what reaches PostHog: no
 * free text while anonymized"): identifiers of every family, planted in every declared
 * property, in the page context and under undeclared keys at any depth, for users with
 * random names and emails, never reach PostHog in any spelling; and every string that
 * does is a vocabulary value, "other" or a route shape made of route words and
 * placeholders.
 */
class PlantedIdentifierPropertyTests {

	static final TrackingPlan PLAN = TrackingPlan.fromClasspath();

	static final CapturePipeline PIPELINE = new CapturePipeline(PLAN,
			new ReleaseMetadata("1.4.0", "@second-inc/cli", null, "0.9.1", null), "0.1.0");

	private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

	/** One generated case: a user and an event with identifiers planted in it. */
	record Case(PlantedIdentifiers.User user, PlantedIdentifiers.Planted planted) {

		@Override
		public String toString() {
			return "user=" + this.user + "\nevent=" + TestJson.write(this.planted.rawEvent());
		}

	}

	@Provide
	Arbitrary<Case> cases() {
		return Arbitraries.randomValue((Random random) -> {
			PlantedIdentifiers.User user = PlantedIdentifiers.user(random);
			return new Case(user, PlantedIdentifiers.event(random, user, PLAN));
		});
	}

	static OutgoingEvent process(Case c) {
		EventOutcome outcome = PIPELINE.process(c.planted().rawEvent(), context(c.user()));
		assertThat(outcome).isInstanceOf(EventOutcome.Accepted.class);
		return ((EventOutcome.Accepted) outcome).event();
	}

	static RequestContext context(PlantedIdentifiers.User user) {
		return new RequestContext(user.id(), user.email(), user.name(), true, "203.0.113.9", NOW);
	}

	@Property(tries = 10_000)
	void noPlantedIdentifierInAnySpellingReachesPostHog(@ForAll("cases") Case c) {
		OutgoingEvent event = process(c);
		Map<String, Object> json = Map.of("distinct_id", event.distinctId(), "uuid", event.uuid().toString(),
				"properties", event.properties());
		assertThat(PlantedIdentifiers.leaks(json, c.user(), c.planted().plantedValues())).as("%s", json).isEmpty();
	}

	@Property(tries = 10_000)
	void everyForwardedStringIsAVocabularyValueOtherOrARouteShape(@ForAll("cases") Case c) {
		OutgoingEvent event = process(c);
		EventSpec spec = PLAN.event(event.event());
		event.properties().forEach((key, value) -> {
			if (!(value instanceof String s) || ReleaseStage.KEYS.contains(key) || key.startsWith("$")) {
				return;
			}
			if (key.equals(PageContext.ROUTE_SHAPE)) {
				for (String segment : s.equals("/") ? new String[0] : s.substring(1).split("/")) {
					assertThat(segment.startsWith(":") || PLAN.routeWords().contains(segment))
						.as("%s in %s", segment, s)
						.isTrue();
				}
			}
			else {
				PropertySpec declared = key.equals(PageContext.SURFACE) ? PLAN.surface() : spec.property(key);
				assertThat(declared.values().contains(s) || s.equals(PropertySpec.OTHER)).as("%s = %s", key, s)
					.isTrue();
			}
		});
	}

	@Property(tries = 1_000)
	void anonymousIdOrUuidCarryingTheUsersIdIsRejectedNamingTheField(@ForAll("cases") Case c) {
		Map<String, Object> raw = new java.util.LinkedHashMap<>(c.planted().rawEvent());
		boolean inAnonymousId = c.user().id().hashCode() % 2 == 0;
		if (inAnonymousId) {
			raw.put("anonymousId", "anon_" + c.user().id());
		}
		else {
			raw.put("uuid", c.user().id());
		}
		EventOutcome outcome = PIPELINE.process(raw, context(c.user()));
		assertThat(outcome).isInstanceOf(EventOutcome.Rejected.class);
		assertThat(((EventOutcome.Rejected) outcome).reason()).startsWith(inAnonymousId ? "anonymousId" : "uuid");
	}

	@Property(tries = 200)
	void identifiedUsersKeepTheirDeclaredStrings(@ForAll("cases") Case c) {
		RequestContext identified = new RequestContext(c.user().id(), c.user().email(), c.user().name(), false, null,
				NOW);
		EventOutcome outcome = PIPELINE.process(c.planted().rawEvent(), identified);
		assertThat(outcome).isInstanceOf(EventOutcome.Accepted.class);
		assertThat(((EventOutcome.Accepted) outcome).unlistedValueKeys()).isEmpty();
		assertThat(((EventOutcome.Accepted) outcome).event().distinctId()).isEqualTo(c.user().id());
	}

}
