package so.second.gateway.throttle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.Reply;
import so.second.gateway.support.ApiClient.TestUser;
import so.second.gateway.support.GatewayInstance;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login, sign-up and the admin token throttled through real HTTP, on two instances that
 * share one PostgreSQL: what one instance counted, the other refuses. Client addresses
 * are told by {@code X-Forwarded-For}, which Tomcat trusts from the loopback proxy.
 */
class SignInThrottleTests {

	private static final String ADMIN_TOKEN = "throttle-test-operator-token-0123";

	static GatewayInstance first;

	static GatewayInstance second;

	static int addresses;

	@BeforeAll
	static void twoInstancesOnOneDatabase() {
		String database = TestDatabase.freshDatabase();
		// The shipped per-address defaults (the tests' config raises them for other
		// tests); a smaller account-wide bound keeps this test short. The first delay is
		// a minute, not the shipped second, so no lock can run out while a test on a busy
		// machine is still counting answers.
		String[] args = { "--second.throttle.first-delay=1m", "--second.throttle.sign-ups-per-address=30",
				"--second.throttle.login-attempts-per-address=100", "--second.throttle.login-attempts-per-account=10",
				"--second.admin.token=" + ADMIN_TOKEN,
				// analytics on, so the admin route answers 200 once the token is through
				"--second.analytics.token=phc_SignInThrottleTestToken01",
				"--second.analytics.host=http://127.0.0.1:9" };
		first = GatewayInstance.start(database, args);
		second = GatewayInstance.start(database, args);
	}

	@AfterAll
	static void stop() {
		first.close();
		second.close();
	}

	/** A browser at an address of its own. */
	static ApiClient browserAt(GatewayInstance instance, String address) {
		return instance.newBrowser().withHeader("X-Forwarded-For", address);
	}

	static synchronized String newAddress() {
		addresses++;
		return "198.51." + (addresses / 250) + "." + (addresses % 250 + 1);
	}

	static TestUser newUser() {
		return browserAt(first, newAddress()).signUp("Throttle Tester");
	}

	static Reply login(ApiClient browser, TestUser user, String password) {
		return browser.post("/api/auth/login", Map.of("email", user.email(), "password", password));
	}

	@Test
	void loginAfterTooManyFailuresThenAnswers429WithRetryAfterOnEveryInstance() {
		TestUser user = newUser();
		String address = newAddress();
		ApiClient onFirst = browserAt(first, address);
		for (int i = 0; i < 5; i++) {
			assertThat(login(onFirst, user, "wrong password " + i).status()).isEqualTo(401);
		}

		Reply refused = login(browserAt(second, address), user, user.password());

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.isProblem()).isTrue();
		assertThat(refused.json()).containsEntry("status", 429).containsKeys("type", "title", "detail");
		assertThat(refused.header("Retry-After"))
			.hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isBetween(50, 60));
		assertThat(refused.header("X-Content-Type-Options")).contains("nosniff");
	}

	@Test
	void anAttackerAtAnotherAddressDoesNotLockTheUserOut() {
		TestUser user = newUser();
		ApiClient attacker = browserAt(first, newAddress());
		for (int i = 0; i < 8; i++) {
			login(attacker, user, "guess " + i);
		}
		assertThat(login(attacker, user, "guess").status()).isEqualTo(429);

		assertThat(login(browserAt(second, newAddress()), user, user.password()).status()).isEqualTo(200);
	}

	@Test
	void failuresFromManyAddressesLockTheAccountBrieflyButNotWhereTheUserSignedInBefore() {
		TestUser user = newUser();
		String home = newAddress();
		assertThat(login(browserAt(first, home), user, user.password()).status()).isEqualTo(200);
		for (int i = 0; i < 10; i++) {
			assertThat(login(browserAt(first, newAddress()), user, "spread guess " + i).status()).isEqualTo(401);
		}

		Reply fromANewAddress = login(browserAt(second, newAddress()), user, user.password());
		Reply fromHome = login(browserAt(second, home), user, user.password());

		assertThat(fromANewAddress.status()).isEqualTo(429);
		assertThat(Integer.parseInt(fromANewAddress.header("Retry-After").orElseThrow())).isLessThanOrEqualTo(60);
		assertThat(fromHome.status()).isEqualTo(200);
	}

	@Test
	void parallelGuessesAreCountedOneByOne() throws Exception {
		TestUser user = newUser();
		String address = newAddress();
		ExecutorService pool = Executors.newFixedThreadPool(10);
		try {
			List<Future<Integer>> answers = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				GatewayInstance instance = (i % 2 == 0) ? first : second;
				int guess = i;
				answers.add(pool.submit(() -> login(browserAt(instance, address), user, "parallel " + guess).status()));
			}
			List<Integer> statuses = new ArrayList<>();
			for (Future<Integer> answer : answers) {
				statuses.add(answer.get());
			}

			assertThat(statuses).containsOnly(401, 429);
			assertThat(statuses.stream().filter(status -> status == 401)).hasSize(5);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void signUpsFromOneAddressBeyondTheBoundAnswer429() {
		String address = newAddress();
		ApiClient browser = browserAt(first, address);
		for (int i = 0; i < 30; i++) {
			browser.signUp("Many " + i);
		}

		Reply refused = browserAt(second, address).post("/api/auth/signup",
				Map.of("email", "one.more@example.com", "password", "long-enough"));

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.isProblem()).isTrue();
		assertThat(refused.header("Retry-After")).isPresent();
		assertThat(browserAt(first, newAddress())
			.post("/api/auth/signup", Map.of("email", "one.more@example.com", "password", "long-enough"))
			.status()).isEqualTo(201);
	}

	@Test
	void repeatedSignUpsForOneEmailAnswer429() {
		TestUser user = newUser();
		for (int i = 0; i < 4; i++) {
			assertThat(browserAt(first, newAddress())
				.post("/api/auth/signup", Map.of("email", user.email(), "password", "long-enough"))
				.status()).isEqualTo(409);
		}

		assertThat(browserAt(second, newAddress())
			.post("/api/auth/signup", Map.of("email", user.email(), "password", "long-enough"))
			.status()).isEqualTo(429);
	}

	@Test
	void wrongAdminTokensFromOneAddressAreThrottledAndTheRightOneForgetsThem() {
		String address = newAddress();
		for (int i = 0; i < 5; i++) {
			assertThat(admin(first, address, "Bearer wrong-" + i).status()).isEqualTo(401);
		}

		Reply refused = admin(second, address, "Bearer " + ADMIN_TOKEN);

		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.isProblem()).isTrue();
		assertThat(refused.header("Retry-After")).isPresent();
		String operator = newAddress();
		assertThat(admin(second, operator, "Bearer wrong").status()).isEqualTo(401);
		assertThat(admin(second, operator, "Bearer " + ADMIN_TOKEN).status()).isEqualTo(200);
	}

	private static Reply admin(GatewayInstance instance, String address, String authorization) {
		return browserAt(instance, address).send("GET", "/api/admin/dead-letters", null,
				Map.of("Authorization", authorization), false);
	}

}
