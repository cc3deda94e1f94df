package so.second.gateway.delivery;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostHogClientTests {

	@Test
	void retryAfterInSecondsIsRead() {
		assertThat(PostHogClient.retryAfter(response(429, "120"))).isEqualTo(Duration.ofSeconds(120));
	}

	@Test
	void retryAfterAsAnHttpDateIsRead() {
		String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME
			.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(61));
		assertThat(PostHogClient.retryAfter(response(503, inAMinute))).isBetween(Duration.ofSeconds(55),
				Duration.ofSeconds(61));
	}

	@Test
	void unreadableOrMissingRetryAfterIsIgnored() {
		assertThat(PostHogClient.retryAfter(response(503, "soon"))).isNull();
		assertThat(PostHogClient.retryAfter(response(503, null))).isNull();
	}

	@Test
	void statusesAreClassifiedAsDeliveryNeedsThem() throws Exception {
		assertThat(PostHogClient.classify(response(200, null))).isInstanceOf(SendResult.Delivered.class);
		assertThat(PostHogClient.classify(response(400, null))).isInstanceOf(SendResult.Rejected.class);
		assertThat(PostHogClient.classify(response(401, null))).isInstanceOf(SendResult.Unauthorized.class);
		assertThat(PostHogClient.classify(response(403, null))).isInstanceOf(SendResult.Unauthorized.class);
		assertThat(PostHogClient.classify(response(413, null))).isInstanceOf(SendResult.TooLarge.class);
		assertThat(PostHogClient.classify(response(408, null))).isEqualTo(new SendResult.Retry("timeout", 408, null));
		assertThat(PostHogClient.classify(response(429, "3")))
			.isEqualTo(new SendResult.Retry("rate_limited", 429, Duration.ofSeconds(3)));
		assertThat(PostHogClient.classify(response(502, null)))
			.isEqualTo(new SendResult.Retry("server_error", 502, null));
		assertThat(PostHogClient.classify(response(404, null)))
			.isEqualTo(new SendResult.Retry("unexpected_status", 404, null));
	}

	@Test
	void aBatchBodyIsTheStoredEventsInOrderInsidePostHogsEnvelopeGzipd() throws Exception {
		byte[] start = "{\"api_key\":\"phc_t\",\"batch\":[".getBytes(StandardCharsets.UTF_8);
		// past the 16 KB buffer, with characters of two, three and four bytes in UTF-8
		String wide = "é€😀".repeat(4_000);
		List<ClaimedEvent> events = List.of(new ClaimedEvent(1, 0, UUID.randomUUID(), "{\"event\":\"a\"}", 0),
				new ClaimedEvent(1, 1, UUID.randomUUID(), "{\"event\":\"" + wide + "\"}", 0),
				new ClaimedEvent(1, 2, UUID.randomUUID(), "{\"event\":\"c\"}", 0));

		byte[] gzipped = PostHogClient.gzippedBody(start, events, PostHogClient.GZIP_LEVEL);

		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
				.isEqualTo("{\"api_key\":\"phc_t\",\"batch\":[" + "{\"event\":\"a\"},{\"event\":\"" + wide
						+ "\"},{\"event\":\"c\"}]}");
		}
	}

	private static Response response(int code, String retryAfter) {
		Response.Builder builder = new Response.Builder()
			.request(new Request.Builder().url("http://127.0.0.1/batch/").build())
			.protocol(Protocol.HTTP_1_1)
			.code(code)
			.message("test")
			.body(ResponseBody.create("{}", null));
		if (retryAfter != null) {
			builder.header("Retry-After", retryAfter);
		}
		return builder.build();
	}

}
