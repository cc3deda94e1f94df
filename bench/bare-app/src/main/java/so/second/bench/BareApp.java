package so.second.bench;

import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The stack's ceiling: Spring MVC parses the body to a map and answers 202 with the
 * gateway's answer shape. No security, no session, no database.
 */
@SpringBootApplication
@RestController
public class BareApp {

	public static void main(String[] args) {
		SpringApplication.run(BareApp.class, args);
	}

	@PostMapping("/api/analytics/capture")
	ResponseEntity<Map<String, Object>> capture(@RequestBody Map<String, Object> body) {
		Object batch = body.get("batch");
		int accepted = (batch instanceof List<?> events) ? events.size() : 1;
		return ResponseEntity.accepted().body(Map.of("accepted", accepted, "rejected", List.of()));
	}

}
