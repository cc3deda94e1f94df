package so.second.gateway.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identifier rules: which keys an anonymized event loses, and which strings the
 * second line recognises as identifiers.
 */
class IdentifierRulesTests {

	@ParameterizedTest
	@ValueSource(strings = { "workspace_id", "app_ids", "owner_email", "agent_name", "file_names", "id", "email",
			"name", "user", "user_agent", "workspace", "workspace_slug", "app", "app_title", "run", "agent", "prompt",
			"prompt_text", "message", "messages", "error", "error_message", "raw_error", "suggestion",
			"suggestion_text", "url", "page_url", "referrer", "referer", "referring_domain", "userid", "username",
			"appname", "api_key", "auth_token", "phone", "ip" })
	void stripsIdentifierKeys(String key) {
		assertThat(IdentifierRules.isStrippedKey(key)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "runtime_id", "message_count", "tool_call_count", "attachment_count", "file_count",
			"duration_ms", "model", "failure_phase", "error_code", "item", "action", "integration", "surface",
			"route_shape", "suggestion_count", "agent_count", "approval_kind", "position", "valid", "android" })
	void keepsCountAndOutcomeKeys(String key) {
		assertThat(IdentifierRules.isStrippedKey(key)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "jane@example.com", "write to jane.doe+tag@mail.example.org today", "a@b",
			"jane＠example.com", "https://example.com", "see http://x.io/a?b", "ftp://files", "www.example.com",
			"example.com/path", "app.second.so:8443", "mailto:someone", "javascript:alert(1)", "localhost:3000",
			"10.0.0.12", "ｗｗｗ．example．com", "5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b",
			"run 5F0C2B1E8A3D4C1E9B7A2D6E1F0A9C3B done", "anon_0b5c2f7e-3a1d-4c8b-9e6f-1a2b3c4d5e6f",
			// IPv6, and IPv4 glued to word characters
			"2001:db8::8a2e:370:7334", "fe80::1", "::1", "ECONNREFUSED_203.0.113.77", "host203.0.113.77x",
			// UUIDs with other separators
			"5f0c2b1e.8a3d.4c1e.9b7a.2d6e1f0a9c3b", "5f0c2b1e_8a3d_4c1e_9b7a_2d6e1f0a9c3b",
			"5f0c2b1e:8a3d:4c1e:9b7a:2d6e1f0a9c3b", "5f0c2b1e 8a3d 4c1e 9b7a 2d6e1f0a9c3b",
			// URLs without slashes, bare host names
			"https:host", "http:evil.example", "vault.internal.corp", "api.stripe.com", "db-1.eu-west.rds.aws",
			// tokens: API keys, JWTs
			"sk-proj-4fJ9aQ2xY7mZ0pL3kT8wR1vB", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
			"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
			"AKIAIOSFODNN7EXAMPLE", "phc_AbCdEf1234567890",
			// card and phone numbers
			"4111 1111 1111 1111", "5500-0000-0000-0004", "4111111111111111", "+1 (415) 555-0123", "415.555.0123",
			"+442071838750", "call 0612345678",
			// invisible characters inside
			"jane\u200B@example.com", "www\u200D.example.com" })
	void recognisesEveryIdentifierFamily(String value) {
		assertThat(IdentifierRules.holdsIdentifier(value)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "github", "claude-sonnet-4-5", "gpt-4.1", "openai/gpt-4o", "ETIMEDOUT", "E_TIMEOUT",
			"rate_limited", "node22", "python3.12", "/w/:workspace/apps/:objectId", "build", "@mention", "a @ b",
			"3.14", "v1.2.3", "", "tool_call", "workspace_home", "usage-data", "2025", "12:30", "gpt-5-codex" })
	void leavesOrdinaryValuesAlone(String value) {
		assertThat(IdentifierRules.holdsIdentifier(value)).isFalse();
	}

	@Test
	void cardNumbersAreRecognisedByTheLuhnCheck() {
		assertThat(IdentifierRules.isCardNumber("4111111111111111")).isTrue();
		assertThat(IdentifierRules.isCardNumber("4111111111111112")).isFalse();
		assertThat(IdentifierRules.isCardNumber("411111111111")).isFalse();
	}

	@Test
	void foldsCaseWhitespaceAndCompatibilityForms() {
		assertThat(IdentifierRules.fold("Jane\t\n  DOE")).isEqualTo("jane doe");
		assertThat(IdentifierRules.fold("Ｊａｎｅ")).isEqualTo("jane");
		assertThat(IdentifierRules.fold("plain")).isEqualTo("plain");
		assertThat(IdentifierRules.fold("ja\u200Bne\u00AD")).isEqualTo("jane");
	}

}
