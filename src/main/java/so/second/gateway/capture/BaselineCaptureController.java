package so.second.gateway.capture;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import so.second.gateway.account.Account;

/**
 * The yardstick of the endpoint load run (docs/benchmarks.md): a bare Spring MVC endpoint
 * behind the same security (session, CSRF, onboarding check) that reads the body and
 * answers what capture answers, with no parsing, pipeline or storage. Only present when
 * {@code second.benchmark.baseline-endpoint=true}.
 */
@RestController
@ConditionalOnBooleanProperty("second.benchmark.baseline-endpoint")
class BaselineCaptureController {

	@PostMapping(path = "/api/analytics/benchmark-baseline", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<CaptureController.CaptureAnswer> baseline(Account account, HttpServletRequest request)
			throws IOException {
		request.getInputStream().readAllBytes();
		return ResponseEntity.accepted().body(new CaptureController.CaptureAnswer(1, List.of()));
	}

}
