package so.second.gateway.browser;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The browser client loses nothing it could have sent: network failures, 5xx and 429 are
 * retried by timer until sent (no further {@code capture()} needed), a timer that fires a
 * little early does not stall them, unsent events survive a reload in localStorage (per
 * user, with their uuids, so PostHog gets each once), the queue's bound drops the oldest
 * and says how many, and sign-out forgets what is stored.
 */
@EnabledIf(value = "so.second.gateway.browser.Chrome#installed", disabledReason = Chrome.NOT_INSTALLED)
class UnsentEventsTests extends BrowserTestSupport {

	private static final Duration DELIVERY = Duration.ofSeconds(30);

	private static final String QUEUE_PREFIX = "second:analytics-queue:v1:";

	@Test
	@SuppressWarnings("unchecked")
	void aNetworkFailureIsRetriedByTimerUntilSentWithTheSameUuid() {
		openDemoAsNewUser();
		failCaptureRequests(3, null);

		String uuid = capture("approval shown");

		chrome.waiting().withMessage(() -> "attempts: " + attempts()).until(driver -> sentAttempts() == 1);
		List<Map<String, Object>> attempts = attempts();
		assertThat(attempts).hasSize(4);
		assertThat(attempts).allSatisfy(attempt -> assertThat(attempt.get("uuids")).isEqualTo(List.of(uuid)));
		assertThat(attempts.subList(0, 3))
			.allSatisfy(attempt -> assertThat(attempt.get("outcome")).isEqualTo("failed"));
		// Back-off: each wait at least half of 1 s, 2 s, 4 s.
		assertThat(gap(attempts, 0, 1)).isGreaterThanOrEqualTo(450);
		assertThat(gap(attempts, 1, 2)).isGreaterThanOrEqualTo(950);
		assertThat(gap(attempts, 2, 3)).isGreaterThanOrEqualTo(1950);
		assertDeliveredOnce(uuid);
	}

	@Test
	void aServerErrorWithoutRetryAfterIsRetriedWithBackOff() {
		openDemoAsNewUser();
		failCaptureRequests(2, 500);

		String uuid = capture("app displayed");

		chrome.waiting().withMessage(() -> "attempts: " + attempts()).until(driver -> sentAttempts() == 1);
		List<Map<String, Object>> attempts = attempts();
		assertThat(attempts).hasSize(3);
		assertThat(attempts.get(0)).containsEntry("outcome", "500");
		assertThat(gap(attempts, 1, 2)).isGreaterThanOrEqualTo(950);
		assertDeliveredOnce(uuid);
	}

	@Test
	void aTooManyRequestsAnswerIsRetriedLikeAServerError() {
		openDemoAsNewUser();
		failCaptureRequests(1, 429);

		String uuid = capture("sidebar clicked");

		chrome.waiting().withMessage(() -> "attempts: " + attempts()).until(driver -> sentAttempts() == 1);
		assertThat(attempts()).hasSize(2);
		assertDeliveredOnce(uuid);
	}

	@Test
	void aRetryTimerThatFiresEarlyDoesNotStallTheRetries() {
		openDemoAsNewUser();
		// Browsers may run a timer a little before its time; make every one 200 ms early.
		chrome
			.js("""
					const realSetTimeout = window.setTimeout;
					window.setTimeout = (callback, ms, ...rest) => realSetTimeout(callback, Math.max(0, (ms || 0) - 200), ...rest);
					""");
		failCaptureRequests(2, null);

		String uuid = capture("agents approved");

		chrome.waiting().withMessage(() -> "attempts: " + attempts()).until(driver -> sentAttempts() == 1);
		assertDeliveredOnce(uuid);
	}

	@Test
	void eventsCapturedOfflineAreSentByTheNextPageLoadWithTheSameUuidsOnce() {
		openDemoAsNewUser();
		chrome.network(false);

		String first = capture("chat initiated");
		String second = capture("sidebar clicked");
		chrome.waiting().until(driver -> storedUuids().containsAll(List.of(first, second)));
		assertThat(chrome.js("return window.__analytics.queueStats().queued")).isEqualTo(2L);
		chrome.screenshot("demo-offline-queue");

		// Back online, but the gateway is still out of reach when the page reloads.
		chrome.block("*/api/analytics/capture");
		chrome.network(true);
		chrome.reload();
		assertThat(storedUuids()).contains(first, second);
		chrome.block();

		await().atMost(DELIVERY)
			.until(() -> posthog.events()
				.stream()
				.map(event -> event.get("uuid"))
				.toList()
				.containsAll(List.of(first, second)));
		chrome.waiting().until(driver -> !storedUuids().contains(first) && !storedUuids().contains(second));
		assertDeliveredOnce(first);
		assertDeliveredOnce(second);
	}

	@Test
	@SuppressWarnings("unchecked")
	void theQueueIsBoundedAndTheOverflowIsCountedAndReportedToThePage() {
		openDemoAsNewUser();
		failCaptureRequests(1_000_000, null);

		Map<String, Object> result = (Map<String, Object>) chrome.async(
				"""
						const analytics = await import('/analytics/second-analytics.js');
						const drops = [];
						const firstDrop = new Promise((resolve) => analytics.onDrop((drop) => { drops.push(drop); resolve(); }));
						const first = analytics.capture('sidebar clicked', { item: 'apps' });
						for (let i = 0; i < 519; i++) analytics.capture('sidebar clicked', { item: 'apps' });
						// The first batch is out; the queue overflows when its failure puts it back.
						await firstDrop;
						const stored = Object.keys(localStorage).filter((key) => key.startsWith(args[0]));
						return { stats: analytics.queueStats(), dropped: drops.reduce((sum, drop) => sum + drop.count, 0),
						  total: drops.length ? drops.at(-1).total : JSON.stringify(drops), stored: stored.length, firstKept: stored.some((key) => key.endsWith(first)) };
						""",
				QUEUE_PREFIX);

		assertThat((Map<String, Object>) result.get("stats")).as(result.toString()).containsEntry("dropped", 20L);
		assertThat(((Number) ((Map<String, Object>) result.get("stats")).get("queued")).longValue())
			.isLessThanOrEqualTo(500);
		assertThat(result).containsEntry("dropped", 20L).containsEntry("total", 20L).containsEntry("firstKept", false);
		assertThat(((Number) result.get("stored")).longValue()).isLessThanOrEqualTo(500);
		chrome.waiting().until(driver -> chrome.find("#log").getText().contains("Queue full"));
	}

	@Test
	void signOutForgetsTheStoredEventsAndTheNextUserNeverSendsThem() {
		openDemoAsNewUser();
		chrome.network(false);
		capture("chat initiated");
		chrome.waiting().until(driver -> !storedUuids().isEmpty());
		chrome.block("*/api/analytics/capture");
		chrome.network(true);

		chrome.find("#sign-out").click();

		chrome.waiting().until(driver -> "signed-out".equals(chrome.find("#who").getDomAttribute("data-state")));
		assertThat(storedUuids()).isEmpty();
	}

	@Test
	void anotherUsersStoredEventsAreNotSentWithThisSession() {
		Map<String, Object> first = openDemoAsNewUser();
		chrome.network(false);
		String uuid = capture("build completed");
		chrome.waiting().until(driver -> storedUuids().contains(uuid));
		chrome.block("*/api/analytics/capture");
		chrome.network(true);
		// The first user's session ends without sign-out; someone else signs in here.
		chrome.driver().manage().deleteAllCookies();
		chrome.reload();
		signUpAndOnboardInBrowser();
		chrome.block();
		chrome.reload();
		String other = capture("sidebar clicked");
		await().atMost(DELIVERY)
			.until(() -> posthog.events().stream().anyMatch(event -> other.equals(event.get("uuid"))));

		assertThat(posthog.events()).noneMatch(event -> uuid.equals(event.get("uuid")));
		assertThat(storedUuids()).contains(uuid);

		// The first user comes back: their event goes out, as theirs.
		chrome.driver().manage().deleteAllCookies();
		chrome.async("""
				const { api } = await import('/app/api.js');
				await api('POST', '/api/auth/login', { email: args[0], password: args[1] });
				""", first.get("email"), first.get("password"));
		chrome.reload();
		assertDeliveredOnce(uuid);
	}

	private static Map<String, Object> openDemoAsNewUser() {
		chrome.open("/demo");
		Map<String, Object> user = signUpAndOnboardInBrowser();
		chrome.open("/demo");
		// The page's own 'page viewed' is out of the way before the test's events.
		chrome.async("await (await import('/analytics/second-analytics.js')).flush();");
		return user;
	}

	private static String capture(String event) {
		return (String) chrome.async("""
				const analytics = await import('/analytics/second-analytics.js');
				window.__analytics = analytics;
				return analytics.capture(args[0], {});
				""", event);
	}

	/**
	 * The next {@code times} capture requests fail: as a network failure ({@code null})
	 * or with that status and no Retry-After. Every attempt is recorded.
	 */
	private static void failCaptureRequests(int times, Integer status) {
		chrome.js(
				"""
						const [times, status] = arguments;
						window.__attempts = [];
						let failures = 0;
						const realFetch = window.fetch;
						window.fetch = async (url, init) => {
						  if (url !== '/api/analytics/capture') return realFetch(url, init);
						  const attempt = { at: performance.now(), uuids: JSON.parse(init.body).batch.map((event) => event.uuid) };
						  window.__attempts.push(attempt);
						  if (failures < times) {
						    failures++;
						    attempt.outcome = status === null ? 'failed' : String(status);
						    if (status === null) throw new TypeError('Failed to fetch');
						    return new Response(JSON.stringify({ detail: 'try later' }),
						      { status, headers: { 'Content-Type': 'application/problem+json' } });
						  }
						  const response = await realFetch(url, init);
						  attempt.outcome = String(response.status);
						  return response;
						};
						""",
				times, status);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> attempts() {
		return (List<Map<String, Object>>) chrome.js("return window.__attempts || [];");
	}

	private static long sentAttempts() {
		return attempts().stream().filter(attempt -> "202".equals(attempt.get("outcome"))).count();
	}

	private static double gap(List<Map<String, Object>> attempts, int from, int to) {
		return ((Number) attempts.get(to).get("at")).doubleValue()
				- ((Number) attempts.get(from).get("at")).doubleValue();
	}

	@SuppressWarnings("unchecked")
	private static List<String> storedUuids() {
		return (List<String>) chrome.js("""
				return Object.keys(localStorage).filter((key) => key.startsWith(arguments[0]))
				  .map((key) => key.slice(key.lastIndexOf(':') + 1));
				""", QUEUE_PREFIX);
	}

	private static void assertDeliveredOnce(String uuid) {
		await().atMost(DELIVERY)
			.until(() -> posthog.events().stream().anyMatch(event -> uuid.equals(event.get("uuid"))));
		// And it stays one: a duplicate would arrive within the delivery poll.
		await().during(Duration.ofSeconds(1))
			.atMost(DELIVERY)
			.until(() -> posthog.events().stream().filter(event -> uuid.equals(event.get("uuid"))).count() == 1);
	}

}
