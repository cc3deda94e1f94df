package so.second.gateway.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

import so.second.gateway.account.Account;
import so.second.gateway.account.SessionSecurity;
import so.second.gateway.capture.CaptureBodyReader.CaptureBody;
import so.second.gateway.delivery.BacklogEvent;
import so.second.gateway.delivery.BacklogFullException;
import so.second.gateway.delivery.BacklogUnavailableException;
import so.second.gateway.delivery.EventBacklog;
import so.second.gateway.operator.OperatorSettings;
import so.second.gateway.pipeline.CapturePipeline;
import so.second.gateway.pipeline.EventOutcome;
import so.second.gateway.pipeline.RequestContext;
import so.second.gateway.settings.UsageDataSettingsService;
import so.second.gateway.web.ApiProblemException;
import so.second.gateway.web.GlobalPrivacyControl;
import so.second.gateway.web.Problems;

/**
 * {@code POST /api/analytics/capture} (docs/api.md, capture), read top to bottom: the
 * security chain's checks → the method and the media type → analytics on? → rate → body →
 * the user's mode, once → the pipeline, per event → one durable append → answer.
 * <p>
 * It is a servlet filter ahead of Spring Session's, Spring Security's and Spring MVC's
 * (docs/architecture.md, "Capture's hot path"): on the route every browser calls for
 * every event, their per-request work cost more than capture's own. It answers every
 * method on its path itself and never passes a request on.
 */
final class CaptureEndpoint extends OncePerRequestFilter {

	static final String PATH = "/api/analytics/capture";

	private final SessionSecurity security;

	private final OperatorSettings operator;

	private final CapturePipeline pipeline;

	private final EventBacklog backlog;

	private final UsageDataSettingsService settings;

	private final CaptureBodyReader reader;

	private final UserRateLimiter rateLimiter;

	private final CaptureMetrics metrics;

	private final JsonMapper json;

	private final Clock clock;

	CaptureEndpoint(SessionSecurity security, OperatorSettings operator, CapturePipeline pipeline, EventBacklog backlog,
			UsageDataSettingsService settings, CaptureBodyReader reader, UserRateLimiter rateLimiter,
			CaptureMetrics metrics, JsonMapper json, Clock clock) {
		this.security = security;
		this.operator = operator;
		this.pipeline = pipeline;
		this.backlog = backlog;
		this.settings = settings;
		this.reader = reader;
		this.rateLimiter = rateLimiter;
		this.metrics = metrics;
		this.json = json;
		this.clock = clock;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// The raw path, exactly: anything else (a ';' parameter, an encoded character)
		// goes on to the security chain, whose firewall refuses it.
		return !PATH.equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// http.server.requests names the route as Spring MVC would
		ServerHttpObservationFilter.findObservationContext(request)
			.ifPresent(observation -> observation.setPathPattern(PATH));
		try {
			SessionSecurity.Admitted admitted = this.security.admit(request, response);
			requirePostOfJson(admitted.request(), response);
			if (!this.operator.enabled()) {
				response.setStatus(HttpServletResponse.SC_NO_CONTENT);
				return;
			}
			CaptureAnswer answer = capture(admitted.account(), admitted.request());
			response.setStatus(HttpServletResponse.SC_ACCEPTED);
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			if (answer.rejected().isEmpty()) {
				byte[] body = answer.allAcceptedJson();
				response.setContentLength(body.length);
				response.getOutputStream().write(body);
			}
			else {
				this.json.writeValue(response.getOutputStream(), answer);
			}
		}
		catch (ApiProblemException ex) {
			Problems.write(response, ex.problem(), ex.retryAfter());
		}
	}

	/** Spring MVC's answers for a mapping of {@code POST} that consumes JSON. */
	private static void requirePostOfJson(HttpServletRequest request, HttpServletResponse response) {
		if (!HttpMethod.POST.matches(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, HttpMethod.POST.name());
			throw new ApiProblemException(HttpStatus.METHOD_NOT_ALLOWED, "http-405",
					"Method '" + request.getMethod() + "' is not supported.");
		}
		MediaType mediaType = contentType(request.getContentType());
		if (mediaType == null || !MediaType.APPLICATION_JSON.includes(mediaType)) {
			response.setHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
			throw new ApiProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "http-415", (mediaType == null)
					? "Could not parse Content-Type."
					: "Content-Type '" + mediaType.getType() + "/" + mediaType.getSubtype() + "' is not supported.");
		}
	}

	/**
	 * The request's media type as MVC reads it; {@code null} when it cannot be parsed.
	 */
	private static MediaType contentType(String header) {
		if (header == null) {
			return MediaType.APPLICATION_OCTET_STREAM;
		}
		try {
			return MediaType.parseMediaType(header);
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}

	private CaptureAnswer capture(Account account, HttpServletRequest request) throws IOException {
		Instant receivedAt = this.clock.instant();
		CaptureBody body = readBody(request);
		this.metrics.received(body.events().size());
		Duration wait = this.rateLimiter.acquire(account.id().toString(), body.events().size());
		if (!wait.isZero()) {
			this.metrics.rejected(RejectionReason.RATE_LIMITED, body.events().size());
			throw new ApiProblemException(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
					"too many events from this user: slow down and retry after the Retry-After delay"), wait);
		}

		CapturePipeline.Request pipeline = this.pipeline.forRequest(requestContext(account, request, receivedAt));
		List<BacklogEvent> accepted = new ArrayList<>(body.events().size());
		List<Rejection> rejected = new ArrayList<>();
		for (int index = 0; index < body.events().size(); index++) {
			EventOutcome outcome = process(body.events().get(index), pipeline);
			if (outcome instanceof EventOutcome.Accepted event) {
				accepted.add(event.clientSuppliedUuid() ? BacklogEvent.retriable(event.event(), account.id())
						: BacklogEvent.once(event.event()));
				event.droppedUndeclaredKeys()
					.forEach(key -> this.metrics.undeclaredKeyDropped(event.event().event(), key));
				event.unlistedValueKeys()
					.forEach(key -> this.metrics.unlistedValueReplaced(event.event().event(), key));
			}
			else if (outcome instanceof EventOutcome.Rejected rejection) {
				rejected.add(new Rejection(index, rejection.reason()));
				this.metrics.rejected(rejection.fault());
			}
		}
		if (accepted.isEmpty()) {
			throw new ApiProblemException(allRejected(body, rejected), null);
		}
		append(accepted);
		this.metrics.accepted(accepted.size());
		return new CaptureAnswer(accepted.size(), rejected);
	}

	private CaptureBody readBody(HttpServletRequest request) throws IOException {
		try {
			return this.reader.read(request.getInputStream(), request.getContentLengthLong());
		}
		catch (ApiProblemException ex) {
			this.metrics.rejected(
					ex.problem().getStatus() == 413 ? RejectionReason.BODY_TOO_LARGE : RejectionReason.INVALID_BODY, 1);
			throw ex;
		}
	}

	private RequestContext requestContext(Account account, HttpServletRequest request, Instant receivedAt) {
		boolean globalPrivacyControl = GlobalPrivacyControl.requested(request);
		boolean anonymized = globalPrivacyControl || this.settings.anonymized(account.id());
		// Tomcat's RemoteIpValve has already replaced the address with X-Forwarded-For's
		// when, and only when, the request came through a trusted proxy.
		String clientIp = anonymized ? null : request.getRemoteAddr();
		return new RequestContext(account.id().toString(), account.email(), account.name(), anonymized, clientIp,
				receivedAt);
	}

	@SuppressWarnings("unchecked")
	private EventOutcome process(Object rawEvent, CapturePipeline.Request pipeline) {
		if (!(rawEvent instanceof Map<?, ?> event)) {
			return new EventOutcome.Rejected("the event must be a JSON object", EventOutcome.Fault.INVALID_EVENT);
		}
		return pipeline.process((Map<String, Object>) event);
	}

	private void append(List<BacklogEvent> accepted) {
		try {
			this.backlog.append(accepted);
		}
		catch (BacklogFullException ex) {
			this.metrics.rejected(RejectionReason.BACKLOG_FULL, accepted.size());
			throw new ApiProblemException(
					Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "backlog-full",
							"the undelivered backlog is at its bound; nothing was accepted, retry later"),
					ex.retryAfter());
		}
		catch (BacklogUnavailableException ex) {
			this.metrics.rejected(RejectionReason.UNAVAILABLE, accepted.size());
			throw new ApiProblemException(
					Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
							"the gateway cannot store events right now; nothing was accepted, retry later"),
					ex.retryAfter());
		}
	}

	private static ProblemDetail allRejected(CaptureBody body, List<Rejection> rejected) {
		if (!body.batch()) {
			return Problems.of(HttpStatus.BAD_REQUEST, "invalid-event", rejected.get(0).reason());
		}
		ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-event",
				"all " + rejected.size() + " events were rejected; the first, at index 0: " + rejected.get(0).reason());
		problem.setProperty("rejected", rejected);
		return problem;
	}

	/** The 202 answer. */
	record CaptureAnswer(int accepted, List<Rejection> rejected) {

		/**
		 * The answer's JSON when nothing was rejected, as the mapper writes it
		 * ({@code CaptureEndpointTests}), without the mapper: on the route every browser
		 * calls for every event, its generator and serializer lookups were a few per cent
		 * of the request's CPU.
		 */
		byte[] allAcceptedJson() {
			return ("{\"accepted\":" + this.accepted + ",\"rejected\":[]}").getBytes(StandardCharsets.US_ASCII);
		}

	}

	/** One refused event of a request. */
	record Rejection(int index, String reason) {
	}

}
