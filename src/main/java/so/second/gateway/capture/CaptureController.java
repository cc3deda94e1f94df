package so.second.gateway.capture;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import so.second.gateway.account.Account;
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
 * {@code POST /api/analytics/capture} (docs/api.md, capture), read top to bottom:
 * analytics on? rate → body → the user's mode, once → the pipeline, per event → one
 * durable append → answer.
 */
@RestController
class CaptureController {

	private final OperatorSettings operator;

	private final CapturePipeline pipeline;

	private final EventBacklog backlog;

	private final UsageDataSettingsService settings;

	private final CaptureBodyReader reader;

	private final UserRateLimiter rateLimiter;

	private final CaptureMetrics metrics;

	private final Clock clock;

	CaptureController(OperatorSettings operator, CapturePipeline pipeline, EventBacklog backlog,
			UsageDataSettingsService settings, CaptureBodyReader reader, UserRateLimiter rateLimiter,
			CaptureMetrics metrics, Clock clock) {
		this.operator = operator;
		this.pipeline = pipeline;
		this.backlog = backlog;
		this.settings = settings;
		this.reader = reader;
		this.rateLimiter = rateLimiter;
		this.metrics = metrics;
		this.clock = clock;
	}

	@PostMapping(path = "/api/analytics/capture", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> capture(Account account, HttpServletRequest request) throws IOException {
		if (!this.operator.enabled()) {
			return ResponseEntity.noContent().build();
		}
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
				accepted.add(event.clientSuppliedUuid() ? BacklogEvent.retriable(event.event(), account.id().toString())
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
		return ResponseEntity.accepted().body(new CaptureAnswer(accepted.size(), rejected));
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
	}

	/** One refused event of a request. */
	record Rejection(int index, String reason) {
	}

}
