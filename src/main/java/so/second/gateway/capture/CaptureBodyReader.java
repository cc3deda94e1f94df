package so.second.gateway.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;

import so.second.gateway.web.ApiProblemException;
import so.second.gateway.web.StrictUtf8;

/**
 * Reads a capture body: at most the body limit from the stream (chunked bodies included,
 * since neither Tomcat nor Spring bound a JSON body), parsed with tight limits so a
 * hostile body costs little before it is refused, checked for strict UTF-8 (Jackson would
 * decode overlong forms), and shaped into one event or a batch.
 */
final class CaptureBodyReader {

	/** The most events one request may carry (docs/api.md, capture). */
	static final int MAX_BATCH = 50;

	static final int MAX_NESTING_DEPTH = 16;

	static final int MAX_NAME_LENGTH = 256;

	static final int MAX_NUMBER_LENGTH = 64;

	private final int maxBodyBytes;

	private final JsonMapper json;

	CaptureBodyReader(int maxBodyBytes) {
		this.maxBodyBytes = maxBodyBytes;
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxDocumentLength(maxBodyBytes)
				.maxStringLength(maxBodyBytes)
				.maxNestingDepth(MAX_NESTING_DEPTH)
				.maxNameLength(MAX_NAME_LENGTH)
				.maxNumberLength(MAX_NUMBER_LENGTH)
				.build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			// buffers per request thread (platform threads): the default pool is one
			// deque
			// all of them share
			.recyclerPool(JsonRecyclerPools.threadLocalPool())
			.build();
		this.json = JsonMapper.builder(factory).build();
	}

	/** The raw events of a request, in order. */
	record CaptureBody(List<Object> events, boolean batch) {
	}

	CaptureBody read(InputStream body, long declaredLength) throws IOException {
		if (declaredLength > this.maxBodyBytes) {
			throw tooLarge();
		}
		// One byte past what may come, so a body longer than allowed shows; a body of
		// known length is read into an array of its size rather than through 8 KiB
		// chunks (the largest allocation of a capture request otherwise).
		int readLimit = (declaredLength >= 0) ? (int) declaredLength + 1 : this.maxBodyBytes + 1;
		byte[] bytes;
		try {
			bytes = body.readNBytes(readLimit);
		}
		catch (IOException ex) {
			// A body that stalled past the read timeout, or a client that went away.
			throw new ApiProblemException(HttpStatus.REQUEST_TIMEOUT, "body-timeout",
					"the body was not received in time");
		}
		if (bytes.length > this.maxBodyBytes) {
			throw tooLarge();
		}
		if (!StrictUtf8.isValid(bytes)) {
			throw ApiProblemException.badRequest(StrictUtf8.INVALID_DETAIL);
		}
		Object document;
		try {
			document = this.json.readValue(bytes, Object.class);
		}
		catch (StreamConstraintsException ex) {
			throw ApiProblemException.badRequest("the body exceeds a parse limit: " + ex.getOriginalMessage());
		}
		catch (JacksonException ex) {
			throw ApiProblemException.badRequest("the body is not valid JSON");
		}
		if (!(document instanceof Map<?, ?> object)) {
			throw ApiProblemException.badRequest("the body must be a JSON object: one event, or {\"batch\": [...]}");
		}
		if (!object.containsKey("batch")) {
			return new CaptureBody(List.of(object), false);
		}
		if (!(object.get("batch") instanceof List<?> batch)) {
			throw ApiProblemException.badRequest("batch must be an array of events");
		}
		if (batch.isEmpty() || batch.size() > MAX_BATCH) {
			throw ApiProblemException.badRequest("batch must hold 1 to " + MAX_BATCH + " events, not " + batch.size());
		}
		return new CaptureBody(new ArrayList<>(batch), true);
	}

	private ApiProblemException tooLarge() {
		return new ApiProblemException(HttpStatus.CONTENT_TOO_LARGE, "body-too-large",
				"the body exceeds the limit of " + this.maxBodyBytes + " bytes");
	}

}
