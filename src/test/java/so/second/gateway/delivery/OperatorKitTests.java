package so.second.gateway.delivery;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.GatewayInstance;
import so.second.gateway.support.PostHogFake;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's kit under {@code ops/}: the Grafana dashboard and the Prometheus alert
 * rules name only metrics the gateway exports, so a renamed metric fails here rather than
 * as an empty panel or an alert that can never fire. The names are read from the two
 * files, not listed here. In this package because a dead letter needs a PostHog that
 * rejects an event, and {@link PostHogFake} is that PostHog.
 */
class OperatorKitTests {

	static final Path DASHBOARD = Path.of("ops", "grafana", "analytics-gateway.json");

	static final Path ALERTS = Path.of("ops", "prometheus", "alerts.yml");

	static final Path DELIVERY_DOC = Path.of("docs", "delivery.md");

	static final PostHogFake posthog = PostHogFake.start();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** A metric name, a function (followed by a parenthesis) or a keyword. */
	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
			"ignoring", "group_left", "group_right", "inf", "nan", "atan2");

	private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");

	@Test
	void everyMetricTheDashboardAndTheAlertRulesNameIsInTheScrapeOnceTrafficHasFlowed() throws IOException {
		Map<String, Set<String>> namesBySource = Map.of(DASHBOARD.toString(), metricNames(dashboardExpressions()),
				ALERTS.toString(), metricNames(alertExpressions()));
		assertThat(namesBySource.get(DASHBOARD.toString())).hasSizeGreaterThanOrEqualTo(15);
		assertThat(namesBySource.get(ALERTS.toString())).hasSizeGreaterThanOrEqualTo(5);

		try (GatewayInstance gateway = GatewayInstance.start(TestDatabase.freshDatabase(),
				"--second.analytics.token=phc_OperatorKitTestToken0123456789",
				"--second.analytics.host=" + posthog.host(), "--second.delivery.drain=true",
				"--second.delivery.poll-interval=50ms", "--second.delivery.backoff-base=100ms",
				"--second.delivery.backoff-max=1s", "--second.delivery.depth-refresh-interval=100ms",
				"--second.delivery.shutdown-grace=1s", "--spring.jmx.enabled=false", "--spring.main.banner-mode=off")) {
			ApiClient operator = gateway.newOperator();
			Set<String> scraped = sampleNames(sendEventsThroughEveryOutcome(gateway, operator));

			namesBySource.forEach((source, names) -> assertThat(scraped)
				.as("metrics named in %s but missing from /actuator/prometheus", source)
				.containsAll(names));
		}
		finally {
			posthog.answerOk();
		}
	}

	/**
	 * One capture request of three events: one with an undeclared key and an unlisted
	 * value; one PostHog rejects (dead-lettered after halving). PostHog first fails with
	 * 500 (a retry), then takes the rest.
	 * @return the scrape after all of it happened
	 */
	private static String sendEventsThroughEveryOutcome(GatewayInstance gateway, ApiClient operator) {
		UUID rejectedByPostHog = UUID.randomUUID();
		AtomicBoolean failedOnce = new AtomicBoolean();
		posthog.answer((batch) -> {
			if (failedOnce.compareAndSet(false, true)) {
				return PostHogFake.status(500);
			}
			return PostHogFake.status(batch.uuids().contains(rejectedByPostHog) ? 400 : 200);
		});
		ApiClient browser = gateway.newBrowser();
		browser.signUpAndOnboard();
		String anonymousId = "anon_" + UUID.randomUUID();
		Map<String, Object> rejected = event(anonymousId, Map.of());
		rejected.put("uuid", rejectedByPostHog.toString());
		Reply reply = browser.post("/api/analytics/capture",
				Map.of("batch",
						List.of(event(anonymousId, Map.of("surface", "not_a_listed_surface", "undeclared_thing", 1)),
								event(anonymousId, Map.of()), rejected)));
		assertThat(reply.status()).isEqualTo(202);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			String scrape = operator.get("/actuator/prometheus").body();
			assertThat(sum(scrape, "analytics_events_forwarded_total")).isEqualTo(2);
			assertThat(sum(scrape, "analytics_delivery_dead_letters")).isEqualTo(1);
		});
		return operator.get("/actuator/prometheus").body();
	}

	private static Map<String, Object> event(String anonymousId, Map<String, Object> properties) {
		Map<String, Object> event = new HashMap<>();
		event.put("event", "page viewed");
		event.put("anonymousId", anonymousId);
		event.put("properties", properties);
		return event;
	}

	@Test
	void metricNamesAreReadFromPromQlWithoutItsFunctionsLabelsOrDurations() {
		assertThat(metricNames(List.of(
				"histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket{job=~\"$job\", uri=\"/api/x\"}[$__rate_interval])))",
				"sum(increase(analytics_events_dead_lettered_total[15m] offset 1h)) > 5 * 86400 and on(instance) up",
				"max(analytics_delivery_state{state=\"paused\"}) == 1e3",
				"sum(rate(a_b_sum[5m])) / sum without (status) (rate(a_b_count[5m]))")))
			.containsExactlyInAnyOrder("http_server_requests_seconds_bucket", "analytics_events_dead_lettered_total",
					"up", "analytics_delivery_state", "a_b_sum", "a_b_count");
	}

	@Test
	void aNameTheGatewayDoesNotExportIsNotInAScrape() {
		String scrape = """
				# HELP analytics_events_forwarded_total Events PostHog accepted (2xx)
				# TYPE analytics_events_forwarded_total counter
				analytics_events_forwarded_total 2.0
				http_server_requests_seconds_bucket{uri="/api/analytics/capture",le="0.001"} 0
				""";

		assertThat(sampleNames(scrape)).contains("analytics_events_forwarded_total",
				"http_server_requests_seconds_bucket");
		assertThat(sampleNames(scrape)).doesNotContain("analytics_events_forwarded",
				"analytics_events_forwarded_total_total", "http_server_requests_seconds");
	}

	@Test
	void theDashboardAsksForItsPrometheusDataSourceOnImport() throws IOException {
		JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));

		assertThat(dashboard.get("__inputs").findValuesAsString("name")).contains("DS_PROMETHEUS");
		List<JsonNode> dataSources = dashboard.findValues("datasource");
		assertThat(dataSources).isNotEmpty()
			.allSatisfy((source) -> assertThat(source.get("uid").asString()).isEqualTo("${DS_PROMETHEUS}"));
	}

	@Test
	void everyAlertSaysHowBadItIsAndPointsAtASectionOfTheDeliveryDoc() throws IOException {
		Set<String> sections = new TreeSet<>();
		for (String line : Files.readAllLines(DELIVERY_DOC)) {
			if (line.startsWith("#")) {
				sections.add(anchor(line.replaceFirst("^#+\\s*", "")));
			}
		}
		List<Map<String, Object>> rules = alertRules();
		assertThat(rules).hasSizeGreaterThanOrEqualTo(6);

		for (Map<String, Object> rule : rules) {
			String name = (String) rule.get("alert");
			assertThat(rule).as(name).containsKeys("expr", "for");
			assertThat(map(rule.get("labels"))).as(name)
				.extractingByKey("severity")
				.isIn("critical", "warning", "info");
			Map<String, Object> annotations = map(rule.get("annotations"));
			assertThat(annotations).as(name).containsKeys("summary", "description");
			Matcher links = Pattern.compile("docs/delivery\\.md#([a-z0-9-]+)")
				.matcher((String) annotations.get("description"));
			List<String> linked = new ArrayList<>();
			while (links.find()) {
				linked.add(links.group(1));
			}
			assertThat(linked).as(name + " points at docs/delivery.md").isNotEmpty();
			assertThat(sections).as(name + ": sections of docs/delivery.md").containsAll(linked);
		}
	}

	/** The PromQL of every panel target and of the dashboard's variables. */
	static List<String> dashboardExpressions() throws IOException {
		JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
		List<String> expressions = new ArrayList<>(dashboard.findValuesAsString("expr"));
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			JsonNode query = variable.path("query");
			String text = query.isObject() ? query.path("query").asString() : query.asString();
			Matcher labelValues = LABEL_VALUES.matcher(text);
			if (labelValues.matches()) {
				expressions.add(labelValues.group(1));
			}
		}
		return expressions;
	}

	static List<String> alertExpressions() throws IOException {
		return alertRules().stream().map((rule) -> (String) rule.get("expr")).toList();
	}

	private static List<Map<String, Object>> alertRules() throws IOException {
		try (Reader reader = Files.newBufferedReader(ALERTS)) {
			Map<String, Object> file = new Yaml().load(reader);
			List<Map<String, Object>> rules = new ArrayList<>();
			for (Object group : (List<?>) file.get("groups")) {
				for (Object rule : (List<?>) map(group).get("rules")) {
					rules.add(map(rule));
				}
			}
			return rules;
		}
	}

	/**
	 * The metric names in PromQL expressions: identifiers once string literals, label
	 * matchers, ranges, grouping label lists and Grafana variables are taken out, minus
	 * functions (an identifier before a parenthesis) and keywords. Names keep their
	 * suffix ({@code _bucket}, {@code _count}, {@code _sum}, {@code _total}): the scrape
	 * lists samples by exactly these names, so a histogram that is not published fails.
	 */
	static Set<String> metricNames(List<String> expressions) {
		Set<String> names = new TreeSet<>();
		for (String expression : expressions) {
			String bare = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
				.replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
				.replaceAll("`[^`]*`", "``")
				.replaceAll("\\{[^}]*}", " ")
				.replaceAll("\\[[^]]*]", " ")
				.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
				.replaceAll("\\$\\{?\\w+}?", " ");
			Matcher identifiers = IDENTIFIER.matcher(bare);
			while (identifiers.find()) {
				String name = identifiers.group(1);
				boolean function = identifiers.group(2) != null;
				if (!function && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
					names.add(name);
				}
			}
		}
		return names;
	}

	/** The names of the samples of a Prometheus text exposition. */
	static Set<String> sampleNames(String scrape) {
		Set<String> names = new TreeSet<>();
		for (String line : scrape.split("\n")) {
			Matcher sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(line);
			if (sample.find()) {
				names.add(sample.group(1));
			}
		}
		return names;
	}

	/** The sum of every sample of this name. */
	private static double sum(String scrape, String name) {
		double total = 0;
		for (String line : scrape.split("\n")) {
			if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
				String afterName = line.contains("}") ? line.substring(line.lastIndexOf('}') + 1)
						: line.substring(name.length());
				total += Double.parseDouble(afterName.trim().split("\\s+")[0]);
			}
		}
		return total;
	}

	/** A heading's anchor as GitHub makes it. */
	private static String anchor(String heading) {
		return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

}
