package so.second.gateway.pipeline;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdentifierRulesTests {

	private final UserIdentity jane = UserIdentity.of("usr_8f3k2m9q", "jane.doe@example.com", "Jane Doe");

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
			"run 5F0C2B1E8A3D4C1E9B7A2D6E1F0A9C3B done", "anon_0b5c2f7e-3a1d-4c8b-9e6f-1a2b3c4d5e6f" })
	void recognisesEmailsUrlsAndUuids(String value) {
		assertThat(IdentifierRules.holdsIdentifier(value)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "github", "claude-sonnet-4-5", "gpt-4.1", "openai/gpt-4o", "ETIMEDOUT", "node22",
			"python3.12", "/w/:workspace/apps/:objectId", "build", "@mention", "a @ b", "3.14", "v1.2.3", "" })
	void leavesOrdinaryValuesAlone(String value) {
		assertThat(IdentifierRules.holdsIdentifier(value)).isFalse();
	}

	@Test
	void dropsAStringHoldingTheUsersOwnIdEmailOrName() {
		assertThat(IdentifierRules.scrub("usr_8f3k2m9q", this.jane)).isSameAs(IdentifierRules.DROP);
		assertThat(IdentifierRules.scrub("owner USR_8F3K2M9Q", this.jane)).isSameAs(IdentifierRules.DROP);
		assertThat(IdentifierRules.scrub("JANE.DOE@EXAMPLE.COM", this.jane)).isSameAs(IdentifierRules.DROP);
		assertThat(IdentifierRules.scrub("hello jane   doe!", this.jane)).isSameAs(IdentifierRules.DROP);
		assertThat(IdentifierRules.scrub("Ｊａｎｅ Ｄｏｅ", this.jane)).isSameAs(IdentifierRules.DROP);
		assertThat(IdentifierRules.scrub("jane.doe's notes", this.jane)).isSameAs(IdentifierRules.DROP);
		assertThat(IdentifierRules.scrub("settings", this.jane)).isEqualTo("settings");
	}

	@Test
	void dropsANumberThatIsTheUsersNumericId() {
		UserIdentity numeric = UserIdentity.of("12345", null, null);
		assertThat(IdentifierRules.scrub(12345, numeric)).isSameAs(IdentifierRules.DROP);
		assertThat(IdentifierRules.scrub(12345L, numeric)).isSameAs(IdentifierRules.DROP);
		assertThat(IdentifierRules.scrub(12345.0, numeric)).isSameAs(IdentifierRules.DROP);
		assertThat(IdentifierRules.scrub(12346, numeric)).isEqualTo(12346);
	}

	@Test
	void shortNamesAreNotLookedFor() {
		UserIdentity al = UserIdentity.of("usr_8f3k2m9q", null, "Al");
		assertThat(IdentifierRules.scrub("total", al)).isEqualTo("total");
	}

	@Test
	void scrubsNestedValuesAndKeys() {
		Map<String, Object> tree = Map.of("list", List.of("ok", "jane@example.com", 3), "nested",
				Map.of("workspace_id", "w1", "fine", "yes", "link", "https://x.io"));
		Object scrubbed = IdentifierRules.scrub(tree, this.jane);
		assertThat(scrubbed).isEqualTo(Map.of("list", List.of("ok", 3), "nested", Map.of("fine", "yes")));
	}

	@Test
	void foldsCaseWhitespaceAndCompatibilityForms() {
		assertThat(IdentifierRules.fold("Jane\t\n  DOE")).isEqualTo("jane doe");
		assertThat(IdentifierRules.fold("Ｊａｎｅ")).isEqualTo("jane");
		assertThat(IdentifierRules.fold("plain")).isEqualTo("plain");
	}

}
