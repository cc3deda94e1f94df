package so.second.gateway.web;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class ApiExceptionHandlerTests {

	private final ApiExceptionHandler handler = new ApiExceptionHandler();

	@Test
	void lostDatabaseInsideAControllerIs503WithRetryAfter() {
		ResponseEntity<ProblemDetail> answer = this.handler.handleUnexpected(
				new CannotGetJdbcConnectionException("no connection", new java.sql.SQLException("refused", "08001")));

		assertThat(answer.getStatusCode().value()).isEqualTo(503);
		assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void anyOtherFailureIs500WithoutItsMessage() {
		ResponseEntity<ProblemDetail> answer = this.handler
			.handleUnexpected(new IllegalStateException("secret internals at so.second.Foo"));

		assertThat(answer.getStatusCode().value()).isEqualTo(500);
		assertThat(answer.getBody().getDetail()).doesNotContain("secret").doesNotContain("Foo");
	}

	@Test
	void refusedConnectionAnywhereInTheCausesCountsAsUnreachable() {
		assertThat(DatabaseFailures
			.isUnreachable(new RuntimeException(new RuntimeException(new ConnectException("refused"))))).isTrue();
		assertThat(DatabaseFailures.isUnreachable(new IllegalArgumentException("bad"))).isFalse();
	}

	@Test
	void aValueTheDatabaseRefusesIsABadRequestNotA500() {
		ResponseEntity<ProblemDetail> answer = this.handler
			.handleUnexpected(new org.springframework.dao.DataIntegrityViolationException("value too long",
					new java.sql.SQLException("value too long for type character varying(200)", "22001")));

		assertThat(answer.getStatusCode().value()).isEqualTo(400);
		assertThat(answer.getBody().getDetail()).doesNotContain("varying");
	}

}
