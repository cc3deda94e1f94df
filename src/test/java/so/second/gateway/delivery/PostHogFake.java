package so.second.gateway.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
import okio.ByteString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * PostHog for the tests: a {@link MockWebServer} whose answers a test scripts with
 * {@link #answer}, and which records every batch it received, decoded, with the status it
 * gave. One server per JVM, so every delivery test shares one application context.
 */
final class PostHogFake {

	private static final PostHogFake SHARED = new PostHogFake();

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private final MockWebServer server = new MockWebServer();

	private final List<Batch> batches = new CopyOnWriteArrayList<>();

	private volatile Function<Batch, MockResponse> behaviour = PostHogFake::ok;

	private PostHogFake() {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				Batch batch = decode(request);
				MockResponse response = PostHogFake.this.behaviour.apply(batch);
				PostHogFake.this.batches.add(batch.answered(response.getCode()));
				return response;
			}

		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(this.server::close));
	}

	static PostHogFake shared() {
		return SHARED;
	}

	/** The host to configure as {@code SECOND_POSTHOG_HOST}. */
	String host() {
		return "http://127.0.0.1:" + this.server.getPort();
	}

	/** How the fake answers from now on. */
	void answer(Function<Batch, MockResponse> behaviour) {
		this.behaviour = behaviour;
	}

	/** Answers 200 to everything, as PostHog does when all is well. */
	void answerOk() {
		answer(PostHogFake::ok);
	}

	List<Batch> batches() {
		return List.copyOf(this.batches);
	}

	/** Batches that mention any of these uuids. */
	List<Batch> batchesWith(Collection<UUID> uuids) {
		return this.batches.stream().filter((batch) -> batch.uuids().stream().anyMatch(uuids::contains)).toList();
	}

	/** How many times each of these uuids was answered with 2xx. */
	Map<UUID, Long> deliveries(Collection<UUID> uuids) {
		return this.batches.stream()
			.filter(Batch::delivered)
			.flatMap((batch) -> batch.uuids().stream())
			.filter(uuids::contains)
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
	}

	static MockResponse ok(Batch batch) {
		return status(200);
	}

	static MockResponse status(int code) {
		return new MockResponse.Builder().code(code)
			.setHeader("Content-Type", "application/json")
			.body((code < 300) ? "{\"status\":1}" : "{\"type\":\"error\",\"code\":\"" + code + "\"}")
			.build();
	}

	private static Batch decode(RecordedRequest request) {
		ByteString body = request.getBody();
		byte[] bytes = (body != null) ? body.toByteArray() : new byte[0];
		boolean gzip = "gzip".equalsIgnoreCase(request.getHeaders().get("Content-Encoding"));
		if (gzip) {
			try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
				bytes = in.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		JsonNode json = MAPPER.readTree(bytes);
		List<JsonNode> events = new ArrayList<>();
		json.get("batch").forEach(events::add);
		List<UUID> uuids = events.stream().map((event) -> UUID.fromString(event.get("uuid").asString())).toList();
		return new Batch(Instant.now(), request.getUrl().encodedPath(), gzip, json, events, uuids, 0);
	}

	/**
	 * One request to the fake.
	 *
	 * @param receivedAt when it arrived
	 * @param path the request path
	 * @param gzip whether the body was gzip'd
	 * @param body the decoded body
	 * @param events the events in its {@code batch}
	 * @param uuids their uuids
	 * @param status what the fake answered
	 */
	record Batch(Instant receivedAt, String path, boolean gzip, JsonNode body, List<JsonNode> events, List<UUID> uuids,
			int status) {

		Batch answered(int code) {
			return new Batch(this.receivedAt, this.path, this.gzip, this.body, this.events, this.uuids, code);
		}

		boolean delivered() {
			return this.status >= 200 && this.status < 300;
		}

	}

}
