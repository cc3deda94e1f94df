package so.second.gateway.pipeline;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-pass skeleton of ASCII text is the skeleton the full folding gives, for every
 * ASCII string: the shortcut can never let a spelling of an identifier through that the
 * folding would have caught.
 */
class UserIdentityPropertyTests {

	@Property(tries = 2000)
	void theAsciiSkeletonIsTheFoldedSkeleton(
			@ForAll @StringLength(max = 80) @CharRange(from = '\u0000', to = '\u007f') String text) {
		assertThat(UserIdentity.asciiSkeleton(text)).isEqualTo(UserIdentity.foldedSkeleton(text));
	}

	@Example
	void uuidsRoutesAndSeparatorsGiveTheSameSkeletonBothWays() {
		for (String text : new String[] { "anon_6f1c2e34-5b7a-4c8d-9e0f-1a2b3c4d5e6f", "5F0C2B1E.8A3D.4C1E",
				"/w/:workspace/apps/:objectId", "Jane\tMarie  Doe\n", "", "--__--", "E_TIMEOUT", "\u0000\u007f" }) {
			assertThat(UserIdentity.skeleton(text)).as(text).isEqualTo(UserIdentity.foldedSkeleton(text));
		}
	}

	@Example
	void textBeyondAsciiIsFoldedInFull() {
		assertThat(UserIdentity.skeleton("Ｊａｎｅ")).isEqualTo("jane");
		assertThat(UserIdentity.skeleton("j\u200Bаne")).isEqualTo("jane");
	}

}
