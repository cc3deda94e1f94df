package so.second.gateway.pipeline;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reading and validating the tracking plan: every mistake names its line, and a plan that
 * could let free text through while anonymized does not load.
 */
class TrackingPlanTests {

	private static final List<String> NINE_COUNT_KEYS = List.of("message_count", "tool_call_count", "attachment_count",
			"file_count", "duration_ms", "runtime_id", "model", "failure_phase", "error_code");

	/** The 19 events of the product description, in its order. */
	static final List<String> NINETEEN_EVENTS = List.of("page viewed", "onboarding finished", "chat initiated",
			"sidebar clicked", "import existing app clicked", "import existing app triggered", "build completed",
			"build failed", "approval shown", "approval acted", "integration setup started",
			"integration setup completed", "app displayed", "app agent triggered", "app agent finished",
			"app agent error", "showed suggestions tool called", "suggestion picked", "agents approved");

	private final TrackingPlan shipped = TrackingPlan.fromClasspath();

	/**
	 * A plan whose events section starts (on line 3) with the given lines, the rest
	 * empty.
	 */
	private static String planStartingWith(String eventLines) {
		String others = NINETEEN_EVENTS.stream()
			.filter((name) -> !eventLines.contains("  " + name + ":"))
			.map((name) -> "  " + name + ": {}\n")
			.collect(Collectors.joining());
		return "version: 1\nevents:\n" + eventLines + others + VOCABULARIES;
	}

	/** The route words and page context every plan needs, after its events. */
	private static final String VOCABULARIES = """
			route_words: [w, apps, settings]
			page_context:
			  surface: {type: enum, values: [workspace_home, settings]}
			""";

	private static TrackingPlan load(String text) {
		return TrackingPlan.load(text, "test-plan.yaml");
	}

	@Test
	void shippedPlanDeclaresExactlyTheNineteenEventsOfTheProductDescription() {
		assertThat(this.shipped.eventNames()).containsExactlyElementsOf(NINETEEN_EVENTS);
	}

	@Test
	void shippedPlanHasAVersion() {
		assertThat(this.shipped.version()).isNotBlank();
	}

	@Test
	void buildAndAgentEventsDeclareTheNineCountAndOutcomeKeys() {
		for (String event : List.of("build completed", "build failed", "app agent triggered", "app agent finished",
				"app agent error")) {
			assertThat(this.shipped.event(event).properties()).as(event)
				.containsKeys(NINE_COUNT_KEYS.toArray(String[]::new));
		}
	}

	@Test
	void everyDeclaredPropertyCanPassWhileAnonymized() {
		for (String event : this.shipped.eventNames()) {
			for (String key : this.shipped.event(event).properties().keySet()) {
				assertThat(IdentifierRules.isStrippedKey(key)).as("%s of %s", key, event).isFalse();
			}
		}
	}

	@Test
	void shippedPlanDeclaresSensibleTypes() {
		PropertySpec item = this.shipped.event("sidebar clicked").property("item");
		assertThat(item.vocabularyValue("library")).isEqualTo("library");
		assertThat(item.vocabularyValue("Jane's apps")).isEqualTo("other");
		assertThat(item.conform(7)).isNull();
		PropertySpec action = this.shipped.event("approval acted").property("action");
		assertThat(action.type()).isEqualTo(PropertySpec.Type.ENUM);
		assertThat(action.vocabularyValue("approve")).isEqualTo("approve");
		assertThat(action.vocabularyValue("launch")).isEqualTo("other");
		PropertySpec integration = this.shipped.event("integration setup started").property("integration");
		assertThat(integration.vocabularyValue("github")).isEqualTo("github");
		assertThat(integration.vocabularyValue("github/acme-corp")).isEqualTo("other");
		PropertySpec duration = this.shipped.event("build failed").property("duration_ms");
		assertThat(duration.conform(1200)).isEqualTo(1200);
		assertThat(duration.conform(-1)).isNull();
		assertThat(duration.conform("1200")).isNull();
	}

	@Test
	void loadsAMinimalPlan() {
		TrackingPlan plan = load(planStartingWith("""
				  sidebar clicked:
				    properties:
				      item: {type: enum, values: [apps, agents]}
				"""));
		assertThat(plan.version()).isEqualTo("1");
		assertThat(plan.eventNames()).hasSize(19);
		assertThat(plan.event("sidebar clicked").property("item").values()).containsExactly("apps", "agents");
		assertThat(plan.routeWords()).containsExactly("w", "apps", "settings");
		assertThat(plan.surface().values()).containsExactly("workspace_home", "settings");
		assertThat(plan.event("page viewed").properties()).isEmpty();
	}

	@Test
	void unknownTypeNamesItsLine() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  sidebar clicked:
				    properties:
				      item:
				        type: strin
				""")))
			.withMessageStartingWith(
					"test-plan.yaml line 6: unknown type \"strin\" for property \"item\" of event \"sidebar clicked\"");
	}

	@Test
	void duplicateEventNamesItsLine() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  sidebar clicked: {}
				  sidebar clicked: {}
				"""))).withMessage("test-plan.yaml line 4: events has \"sidebar clicked\" twice (first on line 3)");
	}

	@Test
	void planWithoutEventsIsRefused() {
		String text = "version: 1\nevents: {}\n" + VOCABULARIES;
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(text))
			.withMessage("test-plan.yaml line 2: events must declare at least one event");
	}

	@Test
	void eventNameThatIsNotLowerCaseWordsNamesItsLine() {
		assertThatExceptionOfType(TrackingPlanException.class)
			.isThrownBy(() -> load(planStartingWith("  Page Viewed: {}\n")))
			.withMessageStartingWith("test-plan.yaml line 3: event name \"Page Viewed\" is not lower-case words");
	}

	@Test
	void minAboveMaxNamesItsLine() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  build failed:
				    properties:
				      duration_ms: {type: integer, min: 10,
				        max: 5}
				""")))
			.withMessage(
					"test-plan.yaml line 6: max of property \"duration_ms\" of event \"build failed\" is smaller than its min");
	}

	@Test
	void boundOfAnotherTypeNamesItsLine() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  build failed:
				    properties:
				      duration_ms:
				        type: integer
				        values: [a]
				""")))
			.withMessageStartingWith("test-plan.yaml line 7: values of property \"duration_ms\"")
			.withMessageEndingWith("applies only to type enum");
	}

	@Test
	void freeTextStringTypeIsRefusedNamingItsLine() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  sidebar clicked:
				    properties:
				      item: {type: string}
				""")))
			.withMessageStartingWith("test-plan.yaml line 5: type string of property \"item\" of event "
					+ "\"sidebar clicked\" could pass free text while anonymized; declare it as type: enum");
	}

	@Test
	void patternAndMaxLengthOfTheOldStringTypeAreUnknownFields() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  sidebar clicked:
				    properties:
				      item: {type: enum, values: [apps], maxLength: 20}
				"""))).withMessageStartingWith("test-plan.yaml line 5: unknown field \"maxLength\"");
	}

	@Test
	void nonNumericBoundIsRefused() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  build failed:
				    properties:
				      duration_ms: {type: integer, max: lots}
				""")))
			.withMessage(
					"test-plan.yaml line 5: max of property \"duration_ms\" of event \"build failed\" must be a finite number");
	}

	@Test
	void vocabularyValueThatLooksLikeAnIdentifierIsRefusedNamingItsLine() {
		for (String value : List.of("jane@example.com", "vault.internal.corp", "203.0.113.7",
				"5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b", "sk-proj-4fJ9aQ2xY7mZ0pL3kT8wR1vB")) {
			assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
					  sidebar clicked:
					    properties:
					      item:
					        type: enum
					        values: [apps, "%s"]
					""".formatted(value))))
				.as(value)
				.withMessageStartingWith("test-plan.yaml line 7: value \"" + value + "\" of property \"item\"")
				.withMessageContaining("looks like an identifier");
		}
	}

	@Test
	void identifierKeyCannotBeDeclared() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  app displayed:
				    properties:
				      app_name: {type: enum, values: [x]}
				""")))
			.withMessageStartingWith(
					"test-plan.yaml line 5: property \"app_name\" of event \"app displayed\" " + "names an identifier");
	}

	@Test
	void routeWordThatIsNotAStaticWordIsRefusedNamingItsLine() {
		for (String word : List.of("Acme", "5f0c2b1e8a3d", "g5fn3x9q2", ":workspace", "a/b")) {
			String text = planStartingWith("").replace("route_words: [w, apps, settings]",
					"route_words: [w, \"" + word + "\"]");
			assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(text))
				.as(word)
				.withMessageContaining("route word \"" + word + "\" is not a static route word");
		}
	}

	@Test
	void planWithoutRouteWordsOrSurfaceVocabularyIsRefused() {
		String withoutRouteWords = planStartingWith("").replace("route_words: [w, apps, settings]\n", "");
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(withoutRouteWords))
			.withMessage("test-plan.yaml line 1: the tracking plan is missing \"route_words\"");
		String freeTextSurface = planStartingWith("").replace("{type: enum, values: [workspace_home, settings]}",
				"{type: string}");
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(freeTextSurface))
			.withMessageContaining("type string of property \"surface\" of page_context could pass free text");
		String otherContext = planStartingWith("").replace("page_context:\n", "page_context:\n  route_shape: {}\n");
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(otherContext))
			.withMessageContaining("page_context declares only \"surface\"");
	}

	@Test
	void enumWithoutValuesIsRefused() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  approval acted:
				    properties:
				      action:
				        type: enum
				""")))
			.withMessage(
					"test-plan.yaml line 6: property \"action\" of event \"approval acted\" is missing \"values\"");
	}

	@Test
	void keysTheGatewaySetsCannotBeDeclared() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  page viewed:
				    properties:
				      route_shape: {type: enum, values: [x]}
				""")))
			.withMessageStartingWith(
					"test-plan.yaml line 5: property \"route_shape\" of event \"page viewed\" is set by the gateway");
	}

	@Test
	void keysThatAreNotSnakeCaseAreRefused() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  page viewed:
				    properties:
				      pageTitle: {type: integer}
				""")))
			.withMessageStartingWith(
					"test-plan.yaml line 5: property \"pageTitle\" of event \"page viewed\" is not a snake_case key");
	}

	@Test
	void unknownFieldIsRefused() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  page viewed:
				    propertys: {}
				""")))
			.withMessageStartingWith("test-plan.yaml line 4: unknown field \"propertys\" in event \"page viewed\"");
	}

	@Test
	void includeOfAnUnknownGroupIsRefused() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(planStartingWith("""
				  build failed:
				    include: [run_outcomes]
				""")))
			.withMessage(
					"test-plan.yaml line 4: event \"build failed\" includes unknown property group \"run_outcomes\"");
	}

	@Test
	void propertyDeclaredTwiceThroughAGroupIsRefused() {
		String text = """
				version: 1
				property_groups:
				  outcome:
				    duration_ms: {type: integer}
				events:
				  build failed:
				    include: [outcome]
				    properties:
				      duration_ms: {type: integer}
				""" + planStartingWith("  build failed: x\n").lines()
			.skip(3)
			.map((line) -> line + "\n")
			.collect(Collectors.joining());
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(text))
			.withMessage("test-plan.yaml line 9: event \"build failed\" declares property \"duration_ms\" twice");
	}

	@Test
	void missingVersionIsRefused() {
		assertThatExceptionOfType(TrackingPlanException.class)
			.isThrownBy(() -> load(planStartingWith("").replace("version: 1\n", "")))
			.withMessage("test-plan.yaml line 1: the tracking plan is missing \"version\"");
	}

	@Test
	void brokenYamlNamesItsLine() {
		assertThatExceptionOfType(TrackingPlanException.class)
			.isThrownBy(() -> load("version: 1\nevents:\n  page viewed: {\n  bad: [\n"))
			.withMessageStartingWith("test-plan.yaml line ")
			.withMessageContaining("not valid YAML");
	}

	@Test
	void emptyPlanIsRefused() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load(""))
			.withMessage("test-plan.yaml: the tracking plan is empty");
	}

	@Test
	void planThatIsNotAMappingIsRefused() {
		assertThatExceptionOfType(TrackingPlanException.class).isThrownBy(() -> load("- a\n- b\n"))
			.withMessage("test-plan.yaml line 1: the tracking plan must be a mapping");
	}

}
