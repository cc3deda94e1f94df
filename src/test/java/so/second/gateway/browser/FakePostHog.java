package so.second.gateway.browser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * PostHog for the real-browser tests, on 127.0.0.1: serves the {@code posthog-js}
 * stand-in at {@code /static/array.js}, records every event the gateway delivers to
 * {@code /batch/} (gunzipped), and answers anything else posthog-js might ask with an
 * empty success. One per JVM, so every browser test class shares one Spring context.
 */
final class FakePostHog {

	static final String SCRIPT_PATH = "/static/array.js";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static FakePostHog shared;

	private final MockWebServer server = new MockWebServer();

	private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();

	private final AtomicInteger scriptLoads = new AtomicInteger();

	private final List<String> fromBrowsers = new CopyOnWriteArrayList<>();

	private final String standIn;

	/**
	 * Where the real posthog-js build is served from instead of the stand-in; null for
	 * the stand-in.
	 */
	private volatile Path realPosthogJs;

	/** Whether the script answers 404, as a misconfigured asset host would. */
	private volatile boolean scriptMissing;

	private FakePostHog() {
		this.standIn = resource("/browser/posthog-stand-in.js");
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answer(request);
			}
		});
		try {
			this.server.start(InetAddress.getByName("127.0.0.1"), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start the fake PostHog", ex);
		}
	}

	static synchronized FakePostHog shared() {
		if (shared == null) {
			shared = new FakePostHog();
			Runtime.getRuntime().addShutdownHook(new Thread(shared.server::close));
		}
		return shared;
	}

	/**
	 * {@code http://127.0.0.1:<port>}, the PostHog host the gateway is configured with.
	 */
	String url() {
		return "http://127.0.0.1:" + this.server.getPort();
	}

	String scriptUrl() {
		return url() + SCRIPT_PATH;
	}

	/** Every event delivered so far, as PostHog received it. */
	List<Map<String, Object>> events() {
		return List.copyOf(this.events);
	}

	List<Map<String, Object>> eventsOf(String distinctId) {
		return this.events.stream().filter(event -> distinctId.equals(event.get("distinct_id"))).toList();
	}

	/**
	 * Serves the real posthog-js build (its {@code dist} folder) at {@code /static/},
	 * with a remote config that has session recording on; {@code null} goes back to the
	 * stand-in.
	 */
	void serveRealPosthogJs(Path dist) {
		this.realPosthogJs = dist;
	}

	/** Answers 404 for the script from now on ({@code true}) or serves it again. */
	void scriptMissing(boolean missing) {
		this.scriptMissing = missing;
	}

	int scriptLoads() {
		return this.scriptLoads.get();
	}

	/**
	 * What browsers (not the gateway's OkHttp client) asked of PostHog, as
	 * {@code METHOD path}: with the stand-in, only ever the script.
	 */
	List<String> requestsFromBrowsers() {
		return List.copyOf(this.fromBrowsers);
	}

	private MockResponse answer(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		String userAgent = request.getHeaders().get("User-Agent");
		if (userAgent != null && userAgent.contains("Mozilla")) {
			this.fromBrowsers.add(request.getMethod() + " " + path);
		}
		Path real = this.realPosthogJs;
		if (real != null) {
			MockResponse answer = answerAsRealPostHog(real, request, path);
			if (answer != null) {
				return answer;
			}
		}
		if ("GET".equals(request.getMethod()) && SCRIPT_PATH.equals(path)) {
			this.scriptLoads.incrementAndGet();
			if (this.scriptMissing) {
				return new MockResponse.Builder().code(404).build();
			}
			return new MockResponse.Builder().code(200)
				.addHeader("Content-Type", "application/javascript")
				.addHeader("Access-Control-Allow-Origin", "*")
				.body(this.standIn)
				.build();
		}
		if ("POST".equals(request.getMethod()) && path.startsWith("/batch")) {
			record(request);
			return json("{\"status\":1}");
		}
		return json("{}");
	}

	/**
	 * What PostHog's asset host and ingestion answer the real SDK; null for what the
	 * stand-in mode answers.
	 */
	private MockResponse answerAsRealPostHog(Path dist, RecordedRequest request, String path) {
		if ("GET".equals(request.getMethod()) && path.startsWith("/static/") && path.endsWith(".js")) {
			Path file = dist.resolve(path.substring("/static/".length())).normalize();
			if (!file.startsWith(dist) || !Files.isRegularFile(file)) {
				return new MockResponse.Builder().code(404).build();
			}
			if (SCRIPT_PATH.equals(path)) {
				this.scriptLoads.incrementAndGet();
			}
			try {
				return new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/javascript")
					.addHeader("Access-Control-Allow-Origin", "*")
					.body(Files.readString(file))
					.build();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		// Remote config: this project records sessions.
		String config = "{\"sessionRecording\":{\"endpoint\":\"/s/\"},\"supportedCompression\":[\"gzip-js\"],\"hasFeatureFlags\":false}";
		if (path.matches("/array/[^/]+/config\\.js")) {
			String token = path.split("/")[2];
			return javascript("window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {};"
					+ "window._POSTHOG_REMOTE_CONFIG['" + token + "'] = { config: " + config + ", siteApps: [] };");
		}
		if (path.matches("/array/[^/]+/config") || path.startsWith("/flags")) {
			return json(config);
		}
		if (path.startsWith("/s/") || path.startsWith("/e/")) {
			return json("{\"status\":1}");
		}
		return null;
	}

	private static MockResponse javascript(String body) {
		return new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/javascript")
			.addHeader("Access-Control-Allow-Origin", "*")
			.body(body)
			.build();
	}

	@SuppressWarnings("unchecked")
	private void record(RecordedRequest request) {
		byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
		try {
			if ("gzip".equalsIgnoreCase(request.getHeaders().get("Content-Encoding"))
					|| (body.length > 1 && body[0] == (byte) 0x1f && body[1] == (byte) 0x8b)) {
				try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
					body = in.readAllBytes();
				}
			}
			Map<String, Object> batch = JSON.readValue(body, Map.class);
			Object apiKey = batch.get("api_key");
			for (Object event : (List<Object>) batch.getOrDefault("batch", List.of())) {
				Map<String, Object> copy = new java.util.LinkedHashMap<>((Map<String, Object>) event);
				copy.putIfAbsent("api_key", apiKey);
				this.events.add(copy);
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalStateException("PostHog received a batch it could not read", ex);
		}
	}

	private static MockResponse json(String body) {
		return new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.addHeader("Access-Control-Allow-Origin", "*")
			.body(body)
			.build();
	}

	private static String resource(String name) {
		try (InputStream in = FakePostHog.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("missing test resource " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
