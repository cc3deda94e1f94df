package so.second.gateway.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/**
 * A browser-like HTTP client for tests: real HTTP, a cookie jar, and Spring Security's
 * SPA CSRF convention (the {@code XSRF-TOKEN} cookie echoed as {@code X-XSRF-TOKEN} on
 * unsafe methods).
 */
public final class ApiClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String baseUrl;

	private final CookieManager cookies = new CookieManager();

	private final HttpClient http;

	private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

	public ApiClient(String baseUrl) {
		this.baseUrl = baseUrl;
		this.http = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	public static ApiClient forPort(int port) {
		return new ApiClient("http://127.0.0.1:" + port);
	}

	/** Sends this header on every request from now on (e.g. {@code Sec-GPC}). */
	public ApiClient withHeader(String name, String value) {
		this.defaultHeaders.put(name, value);
		return this;
	}

	public Reply get(String path) {
		return send("GET", path, null, Map.of(), false);
	}

	public Reply post(String path, Object body) {
		return send("POST", path, body, Map.of(), true);
	}

	public Reply put(String path, Object body) {
		return send("PUT", path, body, Map.of(), true);
	}

	public Reply postWithoutCsrf(String path, Object body) {
		return send("POST", path, body, Map.of(), false);
	}

	public Reply postRaw(String path, String contentType, byte[] body) {
		return sendRaw("POST", path, contentType, body);
	}

	/** Sends these exact bytes as the body, with the CSRF header. */
	public Reply sendRaw(String method, String path, String contentType, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", contentType)
			.header("X-XSRF-TOKEN", csrfToken())
			.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
		this.defaultHeaders.forEach(request::header);
		return execute(request.build());
	}

	/**
	 * Posts a JSON body with chunked transfer encoding: no {@code Content-Length}
	 * announces its size.
	 */
	public Reply postChunked(String path, byte[] body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.version(HttpClient.Version.HTTP_1_1)
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("X-XSRF-TOKEN", csrfToken())
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
		this.defaultHeaders.forEach(request::header);
		return execute(request.build());
	}

	public Reply send(String method, String path, Object body, Map<String, String> headers, boolean csrf) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(30));
		this.defaultHeaders.forEach(request::header);
		headers.forEach(request::header);
		if (csrf) {
			request.header("X-XSRF-TOKEN", csrfToken());
		}
		if (body == null) {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		else {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		}
		return execute(request.build());
	}

	private Reply execute(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Reply(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("no answer from " + request.uri(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The current {@code XSRF-TOKEN}, asking {@code GET /api/auth/csrf} for one when the
	 * jar has none.
	 */
	public String csrfToken() {
		return cookie("XSRF-TOKEN").orElseGet(() -> {
			Reply reply = get("/api/auth/csrf");
			if (reply.status() != 200) {
				throw new IllegalStateException("GET /api/auth/csrf answered " + reply.status());
			}
			return cookie("XSRF-TOKEN").orElseThrow(() -> new IllegalStateException("no XSRF-TOKEN cookie set"));
		});
	}

	public Optional<String> cookie(String name) {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter(cookie -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst();
	}

	/**
	 * Copies this client's cookies into another one: the same browser talking to another
	 * instance.
	 */
	public void shareCookiesWith(ApiClient other) {
		URI target = URI.create(other.baseUrl);
		for (HttpCookie cookie : this.cookies.getCookieStore().getCookies()) {
			other.cookies.getCookieStore().add(target, (HttpCookie) cookie.clone());
		}
	}

	/**
	 * Signs up a new user with a random email; the client is not signed in afterwards.
	 */
	public TestUser signUp(String name) {
		return signUp("user." + UUID.randomUUID().toString().substring(0, 12) + "@example.com", name);
	}

	/**
	 * Signs up a new user with this email and name; the client is not signed in
	 * afterwards.
	 */
	public TestUser signUp(String email, String name) {
		String password = "correct horse " + UUID.randomUUID().toString().substring(0, 6);
		Reply reply = post("/api/auth/signup", Map.of("email", email, "password", password, "name", name));
		if (reply.status() != 201) {
			throw new IllegalStateException("sign-up answered " + reply.status() + " " + reply.body());
		}
		return new TestUser((String) reply.json().get("id"), email, password, name);
	}

	public Reply login(TestUser user) {
		return post("/api/auth/login", Map.of("email", user.email(), "password", user.password()));
	}

	/** A new user, signed in on this client and through onboarding. */
	public TestUser signUpAndOnboard() {
		return onboard(signUp("Ada Lovelace"));
	}

	/** Signs a user in on this client and completes onboarding. */
	public TestUser onboard(TestUser user) {
		expect(login(user), 200);
		expect(post("/api/onboarding/complete", null), 200);
		return user;
	}

	private static void expect(Reply reply, int status) {
		if (reply.status() != status) {
			throw new IllegalStateException("expected " + status + ", got " + reply.status() + " " + reply.body());
		}
	}

	/** A user the tests created. */
	public record TestUser(String id, String email, String password, String name) {
	}

	/** One HTTP answer. */
	public record Reply(int status, Map<String, List<String>> headers, String body) {

		@SuppressWarnings("unchecked")
		public Map<String, Object> json() {
			return JSON.readValue(this.body, Map.class);
		}

		public Optional<String> header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter(entry -> entry.getKey().equalsIgnoreCase(name))
				.flatMap(entry -> entry.getValue().stream())
				.findFirst();
		}

		public List<String> headerValues(String name) {
			return this.headers.entrySet()
				.stream()
				.filter(entry -> entry.getKey().equalsIgnoreCase(name))
				.flatMap(entry -> entry.getValue().stream())
				.toList();
		}

		public String contentType() {
			return header("Content-Type").orElse("");
		}

		public boolean isProblem() {
			return contentType().startsWith("application/problem+json");
		}

	}

}
