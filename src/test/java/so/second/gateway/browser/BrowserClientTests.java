package so.second.gateway.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.WindowType;

import so.second.gateway.pipeline.RouteShapes;
import so.second.gateway.support.PostHogFake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The browser client in a real browser against the real capture route and delivery: the
 * anonymous id's life, the distinct id PostHog receives in each mode, the route shape,
 * batching and retries, and silence when analytics are off.
 */
@EnabledIf(value = "so.second.gateway.browser.Chrome#installed", disabledReason = Chrome.NOT_INSTALLED)
class BrowserClientTests extends BrowserTestSupport {

	private static final String ANONYMOUS_ID = "^anon_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";

	private static final Duration DELIVERY = Duration.ofSeconds(20);

	@Test
	void anonymousIdIsCreatedOnceSurvivesReloadsAndTabsAndIsNewAfterSignOutAndSignIn() {
		chrome.open("/demo");
		String email = chrome.find("#email").getDomProperty("value");
		String password = chrome.find("#password").getDomProperty("value");
		assertThat(anonymousId()).isNull();

		chrome.find("#sign-up").click();
		waitForAccountState("signed-in");
		chrome.find("#onboard").click();
		waitForAccountState("onboarded");
		// created by the first event
		chrome.waiting().until(driver -> anonymousId() != null);
		String first = anonymousId();
		assertThat(first).matches(ANONYMOUS_ID);

		chrome.reload();
		clickEvent("sidebar clicked");
		assertThat(anonymousId()).isEqualTo(first);

		String firstTab = chrome.driver().getWindowHandle();
		chrome.driver().switchTo().newWindow(WindowType.TAB);
		chrome.open("/demo");
		clickEvent("chat initiated");
		assertThat(anonymousId()).isEqualTo(first);
		chrome.driver().close();
		chrome.driver().switchTo().window(firstTab);

		chrome.find("#sign-out").click();
		waitForAccountState("signed-out");
		assertThat(anonymousId()).isNull();

		chrome.find("#email").clear();
		chrome.find("#email").sendKeys(email);
		chrome.find("#password").clear();
		chrome.find("#password").sendKeys(password);
		chrome.find("#sign-in").click();
		waitForAccountState("onboarded");
		clickEvent("sidebar clicked");
		String second = anonymousId();
		assertThat(second).matches(ANONYMOUS_ID).isNotEqualTo(first);
	}

	@Test
	@SuppressWarnings("unchecked")
	void postHogReceivesTheAnonymousIdWhileAnonymizedAndTheUserIdOnceAnonymizationIsOff() {
		chrome.open("/demo");
		String userId = (String) signUpAndOnboardInBrowser().get("id");
		chrome.open("/demo");
		clickEvent("chat initiated");
		String anonymousId = anonymousId();

		Map<String, Object> anonymized = await().atMost(DELIVERY)
			.until(() -> find(posthog.eventsOf(anonymousId), "chat initiated"), event -> event != null);
		Map<String, Object> properties = (Map<String, Object>) anonymized.get("properties");
		assertThat(properties).containsEntry("surface", "workspace_home")
			.containsEntry("route_shape", "/demo")
			.containsEntry("entry_point", "workspace_home")
			.containsEntry("$process_person_profile", false)
			.containsKeys("viewport_width", "viewport_height")
			.doesNotContainKey("workspace_id");
		assertThat(posthog.eventsOf(userId)).noneMatch(event -> "chat initiated".equals(event.get("event")));

		chrome.open("/settings/usage-data");
		chrome.find("#anonymized").click();
		chrome.waiting().until(driver -> chrome.find("#status").getText().equals("Anonymization is off."));
		chrome.open("/demo");
		clickEvent("agents approved");

		Map<String, Object> identified = await().atMost(DELIVERY)
			.until(() -> find(posthog.eventsOf(userId), "agents approved"), event -> event != null);
		assertThat((Map<String, Object>) identified.get("properties")).containsEntry("agent_count", 2);
		assertThat(find(posthog.eventsOf(anonymousId), "agents approved")).isNull();
		assertThat(posthog.requestsFromBrowsers()).allMatch(request -> request.endsWith(PostHogFake.SCRIPT_PATH));
	}

	@Test
	@SuppressWarnings("unchecked")
	void routeShapeSentFromAnIdBearingUrlHoldsNoId() {
		chrome.open("/demo");
		signUpAndOnboardInBrowser();
		chrome.open("/demo/w/acme/apps/5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b/runs/812?x=1#logs");
		recordCaptureRequests();

		clickEvent("build completed");

		chrome.waiting().until(driver -> !sentEvents("build completed").isEmpty());
		Map<String, Object> sent = sentEvents("build completed").get(0);
		String routeShape = (String) ((Map<String, Object>) sent.get("properties")).get("route_shape");
		assertThat(routeShape).isEqualTo("/demo/w/:workspace/apps/:objectId/runs/:runId");
		assertThat(chrome.find("#route-shape").getText()).isEqualTo(routeShape);
		String anonymousId = anonymousId();
		Map<String, Object> delivered = await().atMost(DELIVERY)
			.until(() -> find(posthog.eventsOf(anonymousId), "build completed"), event -> event != null);
		assertThat((Map<String, Object>) delivered.get("properties")).containsEntry("route_shape", routeShape)
			.containsEntry("runtime_id", "node22")
			.containsEntry("duration_ms", 48200)
			.doesNotContainKey("app_id");
		// The properties only: the event's own random uuid and
		// anonymous id may hold "812".
		assertThat(delivered.get("properties").toString()).doesNotContain("acme", "5f0c2b1e", "812");
	}

	@Test
	@SuppressWarnings("unchecked")
	void browserNormalizesRoutesExactlyAsTheGatewayDoes() {
		chrome.open("/demo");
		List<String> routes = new ArrayList<>(List.of("/w/acme/apps/5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b/runs/812?x=1",
				"/w/acme/integrations/google-drive/oauth/return/5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b",
				"/w/acme/agents/summarizer/runs/1234", "/w/acme/users/jane.doe%40example.com",
				"/w/acme;jsessionid=ABC123DEF456/apps", "https://user:secret@app.second.so/settings",
				"app.second.so/w/acme/apps/x", "\\w\\acme\\apps\\x", "/w/acme/caf%C3%A9", "/w/acme/%FF%FE",
				"/w/:workspace/:janeDoeSecret", "/W/acme/APPS/x", "/w/acme/./apps/../x", "/settings/usage-data/", "",
				"/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t", "/w/acme/" + "x".repeat(33), "/library/my-agent",
				"/w/acme/threads/01ARZ3NDEKTSV4RRFFQ69G5FAV", "/w/acme/share/V1StGXR8_Z5jdHi6B-myT"));
		routes.addAll(randomRoutes(300));
		Map<String, String> expected = new LinkedHashMap<>();
		routes.forEach(route -> expected.put(route, RouteShapes.normalize(route)));

		Map<String, Object> actual = (Map<String, Object>) chrome.async("""
				const { routeShape } = await import('/analytics/second-analytics.js');
				return Object.fromEntries(args[0].map((route) => [route, routeShape(route)]));
				""", routes);

		assertThat(actual).isEqualTo(expected);
	}

	@Test
	@SuppressWarnings("unchecked")
	void retriesA503AfterItsRetryAfterWithTheSameUuids() {
		chrome.open("/demo");
		signUpAndOnboardInBrowser();
		chrome.open("/demo");
		// The first capture request holding this event is answered 503 by the page
		// itself, as a gateway at its backlog bound would; everything else goes through.
		chrome.js("""
				window.__attempts = [];
				const realFetch = window.fetch;
				let refused = false;
				window.fetch = async (url, init) => {
				  if (url === '/api/analytics/capture' && init.body.includes('"approval shown"')) {
				    const attempt = { at: performance.now(), body: JSON.parse(init.body), keepalive: init.keepalive };
				    window.__attempts.push(attempt);
				    if (!refused) {
				      refused = true;
				      attempt.status = 503;
				      return new Response(JSON.stringify({ detail: 'backlog full' }),
				        { status: 503, headers: { 'Retry-After': '2', 'Content-Type': 'application/problem+json' } });
				    }
				    const response = await realFetch(url, init);
				    attempt.status = response.status;
				    return response;
				  }
				  return realFetch(url, init);
				};
				""");

		clickEvent("approval shown");

		chrome.waiting()
			.until(driver -> ((List<?>) chrome.js("return window.__attempts")).size() == 2
					&& ((Map<?, ?>) ((List<?>) chrome.js("return window.__attempts")).get(1)).get("status") != null);
		List<Map<String, Object>> attempts = (List<Map<String, Object>>) chrome.js("return window.__attempts");
		assertThat(attempts.get(0)).containsEntry("status", 503L).containsEntry("keepalive", true);
		assertThat(attempts.get(1)).containsEntry("status", 202L);
		assertThat(
				((Number) attempts.get(1).get("at")).doubleValue() - ((Number) attempts.get(0).get("at")).doubleValue())
			.isGreaterThanOrEqualTo(1900);
		assertThat(uuids(attempts.get(1))).isEqualTo(uuids(attempts.get(0))).isNotEmpty();
	}

	@Test
	@SuppressWarnings("unchecked")
	void sendsNothingWhileTheConfigRouteSaysAnalyticsAreOff() {
		chrome.open("/demo");
		signUpAndOnboardInBrowser();
		chrome.open("/demo");

		Object result = chrome
			.async("""
					const analytics = await import('/analytics/second-analytics.js');
					await analytics.flush();
					const sent = [];
					const realFetch = window.fetch;
					window.fetch = (url, init) => { if (url === '/api/analytics/capture') sent.push(init.body); return realFetch(url, init); };
					await analytics.applyConfig({ enabled: false, anonymized: true, screenRecording: false, distinctId: null, posthog: null });
					const uuid = analytics.capture('sidebar clicked', { item: 'apps' });
					await analytics.flush();
					dispatchEvent(new Event('pagehide'));
					return { uuid, sent: sent.length };
					""");

		// No uuid: the event was not even queued; and no
		// request left the page, not at pagehide either.
		assertThat((Map<String, Object>) result).containsEntry("uuid", null).containsEntry("sent", 0L);
	}

	@Test
	void demoPageFiresAllNineteenEventsAndShowsTheAnswers() {
		chrome.open("/demo");
		signUpAndOnboardInBrowser();
		chrome.open("/demo");
		assertThat(chrome.driver().findElements(org.openqa.selenium.By.cssSelector("#events button"))).hasSize(19);
		// The page's own 'page viewed' goes first, so the 19 make one batch of their own.
		chrome.async("await (await import('/analytics/second-analytics.js')).flush();");

		chrome.find("#send-all").click();

		chrome.waiting()
			.until(driver -> chrome.find("#log").getText().contains("POST /api/analytics/capture → 202 (19 events)"));
		assertThat(chrome.find("#log").getText()).contains("\"accepted\": 19");
		chrome.screenshot("demo");
	}

	private static String anonymousId() {
		return (String) chrome.js("return localStorage.getItem('second:analytics-anonymous-id:v1');");
	}

	private static void clickEvent(String event) {
		chrome.find("button[data-event='" + event + "']").click();
	}

	private static void waitForAccountState(String state) {
		chrome.waiting()
			.withMessage(() -> "account state was " + chrome.find("#who").getDomAttribute("data-state") + ": "
					+ chrome.find("#account-error").getText())
			.until(driver -> state.equals(chrome.find("#who").getDomAttribute("data-state")));
	}

	private static void recordCaptureRequests() {
		chrome.js("""
				window.__sent = [];
				const realFetch = window.fetch;
				window.fetch = (url, init) => {
				  if (url === '/api/analytics/capture') window.__sent.push(...JSON.parse(init.body).batch);
				  return realFetch(url, init);
				};
				""");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> sentEvents(String name) {
		List<Map<String, Object>> sent = (List<Map<String, Object>>) chrome.js("return window.__sent");
		return sent.stream().filter(event -> name.equals(event.get("event"))).toList();
	}

	private static Map<String, Object> find(List<Map<String, Object>> events, String name) {
		return events.stream().filter(event -> name.equals(event.get("event"))).findFirst().orElse(null);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> uuids(Map<String, Object> attempt) {
		Map<String, Object> body = (Map<String, Object>) attempt.get("body");
		return ((List<Map<String, Object>>) body.get("batch")).stream().map(event -> event.get("uuid")).toList();
	}

	/** Routes built from the words and ids real URLs are made of, with a fixed seed. */
	private static List<String> randomRoutes(int count) {
		String[] parts = { "w", "apps", "runs", "agents", "integrations", "acme", "settings", "library", "new",
				"5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b", "812", "2024-06-01", "deadbeefcafe00", "abc123def",
				"V1StGXR8_Z5jdHi6B-myT", ":workspace", ":other", "caf%C3%A9", "a%2Fb", "..", ".", "", "x;y=1",
				"jane@example.com", "UPPER", "page2", "oauth2", "?q=1", "#frag" };
		Random random = new Random(20250601);
		List<String> routes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			StringBuilder route = new StringBuilder(random.nextInt(5) == 0 ? "" : "/");
			int segments = random.nextInt(8);
			for (int s = 0; s < segments; s++) {
				route.append(parts[random.nextInt(parts.length)]);
				if (s < segments - 1) {
					route.append('/');
				}
			}
			routes.add(route.toString());
		}
		return routes;
	}

}
