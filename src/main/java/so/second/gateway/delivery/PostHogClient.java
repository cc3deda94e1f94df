package so.second.gateway.delivery;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import so.second.gateway.operator.OperatorSettings;

/**
 * PostHog's batch capture API ({@code POST {host}/batch/}) over the one OkHttp client of
 * the gateway. Requests are asynchronous: {@link #send} returns at once and the answer
 * arrives on an OkHttp dispatcher thread; no thread waits or sleeps on PostHog.
 *
 * <p>
 * The client is configured on purpose rather than with OkHttp's defaults: explicit
 * connect, read, write and whole-call timeouts (the default has no call timeout); a
 * dispatcher that allows as many requests as delivery has workers (the default is 5 per
 * host with an unbounded queue behind); no silent retry on connection failure, since a
 * retry is delivery's decision; no redirects, since a redirected POST would lose its
 * body. Every response is closed.
 */
final class PostHogClient implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(PostHogClient.class);

	private static final MediaType JSON = MediaType.get("application/json");

	/** PostHog refuses events over 1 MB. */
	static final int MAX_EVENT_BYTES = 1_000_000;

	/**
	 * Deflate's fastest level: the body of a batch of 1 000 bench events is written and
	 * compressed in 1.4-1.6 ms instead of 3.4 ms at the default level 6, into 12 % more
	 * bytes (docs/benchmarks.md, {@code PostHogBatchBenchmark}). The gateway's CPU is
	 * shared with capture; PostHog's bandwidth is not the scarce side.
	 */
	static final int GZIP_LEVEL = Deflater.BEST_SPEED;

	private static final byte[] BODY_END = "]}".getBytes(StandardCharsets.UTF_8);

	/** How much of PostHog's answer is kept with a dead letter. */
	static final int MAX_RESPONSE_CHARS = 2000;

	private final OkHttpClient http;

	private final ExecutorService callbacks;

	private final HttpUrl batchUrl;

	private final byte[] bodyStart;

	private final DeliveryMetrics metrics;

	PostHogClient(OperatorSettings settings, DeliveryProperties properties, DeliveryMetrics metrics) {
		this.metrics = metrics;
		this.callbacks = Executors.newCachedThreadPool(DeliveryThreads.named("posthog-http"));
		Dispatcher dispatcher = new Dispatcher(this.callbacks);
		dispatcher.setMaxRequests(properties.workers());
		dispatcher.setMaxRequestsPerHost(properties.workers());
		this.http = new OkHttpClient.Builder().dispatcher(dispatcher)
			.connectionPool(new ConnectionPool(properties.workers(), 5, TimeUnit.MINUTES))
			.connectTimeout(properties.connectTimeout())
			.readTimeout(properties.readTimeout())
			.writeTimeout(properties.writeTimeout())
			.callTimeout(properties.callTimeout())
			.retryOnConnectionFailure(false)
			.followRedirects(false)
			.followSslRedirects(false)
			.build();
		this.batchUrl = HttpUrl.get(settings.host() + "/batch/");
		this.bodyStart = ("{\"api_key\":" + new EventJson().quote((settings.token() != null) ? settings.token() : "")
				+ ",\"historical_migration\":false,\"batch\":[")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Sends the events as one gzip'd batch; {@code onResult} is called exactly once, on
	 * an OkHttp thread.
	 */
	void send(List<ClaimedEvent> events, Consumer<SendResult> onResult) {
		Request request = new Request.Builder().url(this.batchUrl)
			.header("Content-Encoding", "gzip")
			.header("User-Agent", "second-analytics-gateway")
			.post(RequestBody.create(gzippedBody(this.bodyStart, events, GZIP_LEVEL), JSON))
			.build();
		long start = System.nanoTime();
		this.http.newCall(request).enqueue(new Callback() {

			@Override
			public void onResponse(Call call, Response response) {
				SendResult result;
				try (response) {
					result = classify(response);
				}
				catch (IOException | RuntimeException ex) {
					result = new SendResult.Retry("network", null, null);
				}
				PostHogClient.this.metrics.batch(String.valueOf(response.code()), events.size(), elapsed(start));
				onResult.accept(result);
			}

			@Override
			public void onFailure(Call call, IOException ex) {
				PostHogClient.this.metrics.batch("io_error", events.size(), elapsed(start));
				log.debug("Sending a batch to PostHog failed: {}", ex.toString());
				String reason = (ex instanceof InterruptedIOException) ? "timeout" : "network";
				onResult.accept(new SendResult.Retry(reason, null, null));
			}

		});
	}

	/** Cancels every request in flight; their callbacks report a network failure. */
	void cancelAll() {
		this.http.dispatcher().cancelAll();
	}

	/**
	 * {@code {"api_key": …, "historical_migration": false, "batch": [events as stored]}},
	 * gzip'd as it is written: the batch is never held whole uncompressed (a batch of 1
	 * 000 events is about 740 KB, which a string and its bytes would copy twice).
	 * @param start the body up to the batch's opening bracket, as UTF-8
	 */
	static byte[] gzippedBody(byte[] start, List<ClaimedEvent> events, int level) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(
				Math.max(64, events.stream().mapToInt((e) -> e.payload().length()).sum() / 16));
		try (OutputStream body = new BufferedOutputStream(new LeveledGzipStream(out, level), 16 * 1024)) {
			body.write(start);
			for (int i = 0; i < events.size(); i++) {
				if (i > 0) {
					body.write(',');
				}
				body.write(events.get(i).payload().getBytes(StandardCharsets.UTF_8));
			}
			body.write(BODY_END);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	static SendResult classify(Response response) throws IOException {
		int status = response.code();
		if (status >= 200 && status < 300) {
			return new SendResult.Delivered(status);
		}
		if (status == 401 || status == 403) {
			return new SendResult.Unauthorized(status);
		}
		if (status == 400) {
			return new SendResult.Rejected(status, answer(response));
		}
		if (status == 413) {
			return new SendResult.TooLarge(status, answer(response));
		}
		Duration retryAfter = retryAfter(response);
		if (status == 429) {
			return new SendResult.Retry("rate_limited", status, retryAfter);
		}
		if (status == 408) {
			return new SendResult.Retry("timeout", status, retryAfter);
		}
		if (status >= 500) {
			return new SendResult.Retry("server_error", status, retryAfter);
		}
		log.warn("PostHog answered HTTP {} to a batch; keeping the events and retrying", status);
		return new SendResult.Retry("unexpected_status", status, retryAfter);
	}

	/**
	 * {@code Retry-After} in seconds or as an HTTP date; {@code null} when absent or
	 * unreadable.
	 */
	static Duration retryAfter(Response response) {
		String value = response.header("Retry-After");
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
		}
		catch (NumberFormatException ex) {
			Date date = response.headers().getDate("Retry-After");
			if (date == null) {
				return null;
			}
			Duration until = Duration.between(Instant.now(), date.toInstant());
			return until.isNegative() ? Duration.ZERO : until;
		}
	}

	private static String answer(Response response) throws IOException {
		String text = response.peekBody(MAX_RESPONSE_CHARS * 4L).string();
		return (text.length() > MAX_RESPONSE_CHARS) ? text.substring(0, MAX_RESPONSE_CHARS) : text;
	}

	private static Duration elapsed(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

	/** GZIPOutputStream at a chosen level: its deflater is a protected field. */
	private static final class LeveledGzipStream extends GZIPOutputStream {

		LeveledGzipStream(ByteArrayOutputStream out, int level) throws IOException {
			super(out);
			this.def.setLevel(level);
		}

	}

	@Override
	public void close() {
		this.callbacks.shutdown();
		this.http.connectionPool().evictAll();
	}

}
