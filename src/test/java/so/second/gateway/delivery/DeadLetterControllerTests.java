package so.second.gateway.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin endpoints with the security filter chain in front of them, where the
 * operator's token is checked.
 */
@AutoConfigureMockMvc
class DeadLetterControllerTests extends DeliveryTestContext {

	private static final String OPERATOR = "Bearer " + ADMIN_TOKEN;

	@Autowired
	MockMvcTester mvc;

	@Test
	void withoutTheOperatorTokenTheAnswerIs401WithAProblem() {
		assertThat(this.mvc.get().uri("/api/admin/dead-letters")).hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		assertThat(this.mvc.get().uri("/api/admin/dead-letters").header(HttpHeaders.AUTHORIZATION, "Bearer wrong"))
			.hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(this.mvc.post().uri("/api/admin/dead-letters/resend")).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void listsDeadLettersWithPostHogsAnswerAndResendsOneIntoTheBacklog() {
		UUID uuid = UUID.randomUUID();
		long id = deadLetter(uuid, "build failed");

		assertThat(this.mvc.get()
			.uri("/api/admin/dead-letters?after={after}", id - 1)
			.header(HttpHeaders.AUTHORIZATION, OPERATOR)).hasStatusOk().bodyJson().satisfies((json) -> {
				assertThat(json).extractingPath("$.items[0].id").asNumber().isEqualTo((int) id);
				assertThat(json).extractingPath("$.items[0].uuid").isEqualTo(uuid.toString());
				assertThat(json).extractingPath("$.items[0].event").isEqualTo("build failed");
				assertThat(json).extractingPath("$.items[0].reason").isEqualTo("rejected");
				assertThat(json).extractingPath("$.items[0].status").asNumber().isEqualTo(400);
				assertThat(json).extractingPath("$.items[0].response").isEqualTo("{\"detail\":\"bad\"}");
			});

		assertThat(this.mvc.post()
			.uri("/api/admin/dead-letters/{id}/resend", id)
			.header(HttpHeaders.AUTHORIZATION, OPERATOR)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.resent")
			.asNumber()
			.isEqualTo(1);
		awaitDelivered(List.of(uuid), Duration.ofSeconds(10));
		assertThat(this.mvc.post()
			.uri("/api/admin/dead-letters/{id}/resend", id)
			.header(HttpHeaders.AUTHORIZATION, OPERATOR)).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void resendsEveryDeadLetter() {
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		deadLetter(first, "page viewed");
		deadLetter(second, "page viewed");

		assertThat(this.mvc.post().uri("/api/admin/dead-letters/resend").header(HttpHeaders.AUTHORIZATION, OPERATOR))
			.hasStatusOk()
			.bodyJson()
			.extractingPath("$.resent")
			.asNumber()
			.satisfies((resent) -> assertThat(resent.intValue()).isGreaterThanOrEqualTo(2));

		awaitDelivered(List.of(first, second), Duration.ofSeconds(10));
	}

	private long deadLetter(UUID uuid, String event) {
		String payload = "{\"event\":\"" + event + "\",\"distinct_id\":\"anon_x\",\"uuid\":\"" + uuid
				+ "\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"properties\":{}}";
		return this.jdbc.sql("""
				INSERT INTO delivery_dead_letter (uuid, payload, attempts, reason, status, response, created_at)
				VALUES (?::uuid, ?, 1, 'rejected', 400, '{"detail":"bad"}', now())
				RETURNING id
				""").params(uuid.toString(), payload).query(Long.class).single();
	}

}
