package so.second.gateway.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PostHog for every test, on a {@link MockWebServer} at 127.0.0.1: its batch API
 * ({@code /batch/}), whose answers a test scripts with {@link #answer} and which records
 * every batch it received, decoded, with the status it gave; and, for the real-browser
 * tests, its asset host ({@code posthog-js} at {@link #SCRIPT_PATH}: a stand-in, or the
 * real build) and the little else posthog-js asks for. Each {@link #start() started} fake
 * is stopped when the JVM exits; a suite shares one, so its contexts stay cached.
 */
public final class PostHogFake {

	public static final String SCRIPT_PATH = "/static/array.js";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final MockWebServer server = new MockWebServer();

	private final List<Batch> batches = new CopyOnWriteArrayList<>();

	private final List<String> fromBrowsers = new CopyOnWriteArrayList<>();

	private final String standIn = resource("/browser/posthog-stand-in.js");

	private volatile Function<Batch, MockResponse> behaviour = PostHogFake::ok;

	/** Where the real posthog-js build is served from; null for the stand-in. */
	private volatile Path realPosthogJs;

	/** Whether the script answers 404, as a misconfigured asset host would. */
	private volatile boolean scriptMissing;

	private PostHogFake() {
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
		Runtime.getRuntime().addShutdownHook(new Thread(this.server::close));
	}

	/** Starts a fake that answers 200 to every batch. */
	public static PostHogFake start() {
		return new PostHogFake();
	}

	/**
	 * {@code http://127.0.0.1:<port>}, the host to configure as
	 * {@code SECOND_POSTHOG_HOST}.
	 */
	public String host() {
		return "http://127.0.0.1:" + this.server.getPort();
	}

	/** Where posthog-js is served, for {@code SECOND_POSTHOG_SCRIPT_URL}. */
	public String scriptUrl() {
		return host() + SCRIPT_PATH;
	}

	/** How the batch API answers from now on. */
	public void answer(Function<Batch, MockResponse> behaviour) {
		this.behaviour = behaviour;
	}

	/** Answers 200 to every batch, as PostHog does when all is well. */
	public void answerOk() {
		answer(PostHogFake::ok);
	}

	public static MockResponse ok(Batch batch) {
		return status(200);
	}

	public static MockResponse status(int code) {
		return new MockResponse.Builder().code(code)
			.setHeader("Content-Type", "application/json")
			.body((code < 300) ? "{\"status\":1}" : "{\"type\":\"error\",\"code\":\"" + code + "\"}")
			.build();
	}

	/** Every batch received so far, with the status it was answered. */
	public List<Batch> batches() {
		return List.copyOf(this.batches);
	}

	/** Batches that hold any of these uuids. */
	public List<Batch> batchesWith(Collection<UUID> uuids) {
		return this.batches.stream().filter((batch) -> batch.uuids().stream().anyMatch(uuids::contains)).toList();
	}

	/** How many times each of these uuids was answered with 2xx. */
	public Map<UUID, Long> deliveries(Collection<UUID> uuids) {
		return this.batches.stream()
			.filter(Batch::delivered)
			.flatMap((batch) -> batch.uuids().stream())
			.filter(uuids::contains)
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

	/**
	 * Every event PostHog took (answered 2xx), as it received it, with the batch's
	 * {@code api_key} copied in.
	 */
	public List<Map<String, Object>> events() {
		List<Map<String, Object>> events = new ArrayList<>();
		for (Batch batch : this.batches) {
			if (batch.delivered()) {
				for (JsonNode event : batch.events()) {
					Map<String, Object> copy = new LinkedHashMap<>(JSON.convertValue(event, OBJECT));
					copy.putIfAbsent("api_key", batch.body().path("api_key").asString(null));
					events.add(copy);
				}
			}
		}
		return events;
	}

	public List<Map<String, Object>> eventsOf(String distinctId) {
		return events().stream().filter((event) -> distinctId.equals(event.get("distinct_id"))).toList();
	}

	/**
	 * Serves the real posthog-js build (its {@code dist} folder) at {@code /static/},
	 * with a remote config that has session recording on; {@code null} goes back to the
	 * stand-in.
	 */
	public void serveRealPosthogJs(Path dist) {
		this.realPosthogJs = dist;
	}

	/** Answers 404 for the script from now on ({@code true}) or serves it again. */
	public void scriptMissing(boolean missing) {
		this.scriptMissing = missing;
	}

	/**
	 * What browsers (not the gateway's OkHttp client) asked of PostHog, as
	 * {@code METHOD path}: with the stand-in, only ever the script.
	 */
	public List<String> requestsFromBrowsers() {
		return List.copyOf(this.fromBrowsers);
	}

	private MockResponse answer(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		String userAgent = request.getHeaders().get("User-Agent");
		if (userAgent != null && userAgent.contains("Mozilla")) {
			this.fromBrowsers.add(request.getMethod() + " " + path);
		}
		if ("POST".equals(request.getMethod()) && path.startsWith("/batch")) {
			Batch batch = decode(request, path);
			MockResponse response = this.behaviour.apply(batch);
			this.batches.add(batch.answered(response.getCode()));
			return response;
		}
		Path real = this.realPosthogJs;
		if (real != null) {
			MockResponse answer = answerAsRealPostHog(real, request, path);
			if (answer != null) {
				return answer;
			}
		}
		if ("GET".equals(request.getMethod()) && SCRIPT_PATH.equals(path)) {
			if (this.scriptMissing) {
				return new MockResponse.Builder().code(404).build();
			}
			return javascript(this.standIn);
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
			try {
				return javascript(Files.readString(file));
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

	private static Batch decode(RecordedRequest request, String path) {
		byte[] bytes = (request.getBody() != null) ? request.getBody().toByteArray() : new byte[0];
		boolean gzip = "gzip".equalsIgnoreCase(request.getHeaders().get("Content-Encoding"))
				|| (bytes.length > 1 && bytes[0] == (byte) 0x1f && bytes[1] == (byte) 0x8b);
		if (gzip) {
			try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
				bytes = in.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("PostHog received a batch it could not gunzip", ex);
			}
		}
		JsonNode body = JSON.readTree(bytes);
		List<JsonNode> events = new ArrayList<>();
		body.path("batch").forEach(events::add);
		List<UUID> uuids = events.stream()
			.filter((event) -> event.hasNonNull("uuid"))
			.map((event) -> UUID.fromString(event.get("uuid").asString()))
			.toList();
		return new Batch(Instant.now(), path, gzip, body, events, uuids, 0);
	}

	private static MockResponse javascript(String body) {
		return okWith("application/javascript", body);
	}

	private static MockResponse json(String body) {
		return okWith("application/json", body);
	}

	private static MockResponse okWith(String contentType, String body) {
		return new MockResponse.Builder().code(200)
			.addHeader("Content-Type", contentType)
			.addHeader("Access-Control-Allow-Origin", "*")
			.body(body)
			.build();
	}

	private static String resource(String name) {
		try (InputStream in = PostHogFake.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("missing test resource " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One request to the batch API.
	 *
	 * @param receivedAt when it arrived
	 * @param path the request path
	 * @param gzip whether the body was gzip'd
	 * @param body the decoded body
	 * @param events the events in its {@code batch}
	 * @param uuids their uuids
	 * @param status what the fake answered
	 */
	public record Batch(Instant receivedAt, String path, boolean gzip, JsonNode body, List<JsonNode> events,
			List<UUID> uuids, int status) {

		Batch answered(int code) {
			return new Batch(this.receivedAt, this.path, this.gzip, this.body, this.events, this.uuids, code);
		}

		public boolean delivered() {
			return this.status >= 200 && this.status < 300;
		}

	}

}
