package so.second.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's own identifiers are recognised in every spelling: case, separators,
 * percent-encoding, base64, compatibility forms, look-alike letters and invisible
 * characters.
 */
class UserIdentityTests {

	private static final String ID = "5f0c2b1e-8a3d-4c1e-9b7a-2d6e1f0a9c3b";

	private final UserIdentity jane = UserIdentity.of(ID, "jane.doe@example.com", "Jane Marie Doe");

	@ParameterizedTest
	@ValueSource(strings = { "Jane", "jane", "JANE", "Doe_fan", "marie", "jane_marie_doe", "Jane-Marie-Doe",
			"janemariedoe", "jane.marie.doe", "jane:marie:doe", "Ｊａｎｅ", "j\u200Bane",
			"jаne" /* Cyrillic a */, "jane%2Edoe", "%6A%61%6E%65", "%256A%2561%256E%2565", "JANE.DOE@EXAMPLE.COM",
			"jane.doe", "5f0c2b1e_8a3d_4c1e_9b7a_2d6e1f0a9c3b", "5f0c2b1e:8a3d:4c1e:9b7a:2d6e1f0a9c3b",
			"5F0C2B1E.8A3D.4C1E.9B7A.2D6E1F0A9C3B", "5f0c2b1e8a3d4c1e9b7a2d6e1f0a9c3b",
			"user 5f0c2b1e 8a3d 4c1e 9b7a 2d6e1f0a9c3b" })
	void recognisesTheUsersOwnIdentifiersInAnySpelling(String value) {
		assertThat(this.jane.appearsIn(value)).isTrue();
	}

	@Test
	void recognisesBase64AndBase64UrlOfTheEmail() {
		byte[] email = "jane.doe@example.com".getBytes(StandardCharsets.UTF_8);
		assertThat(this.jane.appearsIn(Base64.getEncoder().encodeToString(email))).isTrue();
		assertThat(this.jane.appearsIn(Base64.getUrlEncoder().withoutPadding().encodeToString(email))).isTrue();
		assertThat(this.jane.appearsIn("token=" + Base64.getEncoder().encodeToString(email))).isTrue();
		assertThat(this.jane.appearsIn("x" + Base64.getEncoder().encodeToString(email))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "settings", "workspace_home", "claude-code", "doe", "ja ne" })
	void leavesOtherWordsAlone(String value) {
		UserIdentity art = UserIdentity.of(ID, "art@example.com", "Art");
		assertThat(art.appearsIn(value)).isFalse();
		assertThat(art.isOwnWord("tool_call")).isFalse();
		assertThat(art.isOwnWord("ART")).isTrue();
		assertThat(art.isOwnWord("start")).as("errs on the private side").isTrue();
	}

	@Test
	void shortNamePartsAreNotLookedFor() {
		UserIdentity al = UserIdentity.of(ID, null, "Al Li");
		assertThat(al.appearsIn("total")).isFalse();
		assertThat(al.appearsIn("Al_Li")).as("the whole name still counts").isTrue();
	}

	@Test
	void recognisesTheUsersIdAsAUuidOrANumber() {
		assertThat(this.jane.isOwnId(ID.toUpperCase())).isTrue();
		assertThat(this.jane.isOwnId("0b5c2f7e-3a1d-4c8b-9e6f-1a2b3c4d5e6f")).isFalse();
		UserIdentity numeric = UserIdentity.of("12345", null, null);
		assertThat(numeric.isNumber(12345)).isTrue();
		assertThat(numeric.isNumber(12345.0)).isTrue();
		assertThat(numeric.isNumber(12346)).isFalse();
	}

}
