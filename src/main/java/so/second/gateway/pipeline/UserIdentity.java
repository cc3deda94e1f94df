package so.second.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The signed-in user's own identifiers — the id, the email, the email's local part, the
 * whole name and each part of it — in a form that recognises them however they are
 * spelled (docs/api.md, what reaches PostHog): in any case, with any separator or none
 * between their parts, percent-encoded, in base64 or base64url, with compatibility forms,
 * look-alike letters and invisible characters folded away.
 * <p>
 * That form is the <em>skeleton</em>: NFKC, invisible characters removed, common Cyrillic
 * and Greek look-alikes mapped to Latin letters, lower case, and everything that is not a
 * letter or digit removed. Name parts and the local part count from 3 letters; shorter
 * ones would match ordinary words.
 */
final class UserIdentity {

	private static final int MIN_PART_LENGTH = 3;

	/** Base64 runs shorter than this cannot encode a needle worth finding. */
	private static final int MIN_BASE64_RUN = 8;

	private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/_-]{" + MIN_BASE64_RUN + ",}={0,2}");

	private static final Pattern NAME_PART = Pattern.compile("[^\\p{L}\\p{N}]+");

	/** Cyrillic and Greek letters that look like Latin ones, and what they look like. */
	private static final String LOOK_ALIKES = "аaвbеeкkмmнhоoрpсcтtуyхxѕsіiјjԁdɡgӏlαaβbεeηnιiκkνvοoρpτtυuχxωw";

	private final List<String> needles;

	private final String id;

	private UserIdentity(List<String> needles, String id) {
		this.needles = needles;
		this.id = id;
	}

	static UserIdentity of(RequestContext context) {
		return of(context.userId(), context.email(), context.name());
	}

	static UserIdentity of(String userId, String email, String name) {
		Set<String> needles = new LinkedHashSet<>();
		String id = (userId != null) ? skeleton(userId) : "";
		if (!id.isEmpty()) {
			needles.add(id);
		}
		if (email != null && !email.isBlank()) {
			addIfLong(needles, skeleton(email));
			int at = email.indexOf('@');
			if (at > 0) {
				addIfLong(needles, skeleton(email.substring(0, at)));
			}
		}
		if (name != null && !name.isBlank()) {
			addIfLong(needles, skeleton(name));
			for (String part : NAME_PART.split(IdentifierRules.fold(name))) {
				addIfLong(needles, skeleton(part));
			}
		}
		return new UserIdentity(List.copyOf(needles), id);
	}

	private static void addIfLong(Set<String> needles, String skeleton) {
		if (skeleton.codePointCount(0, skeleton.length()) >= MIN_PART_LENGTH) {
			needles.add(skeleton);
		}
	}

	/**
	 * Whether a string holds the user's id, email, local part, name or a name part,
	 * however spelled: as it is, percent-decoded, or base64-decoded.
	 * @param value a string
	 * @return whether it identifies the user
	 */
	boolean appearsIn(String value) {
		if (this.needles.isEmpty()) {
			return false;
		}
		if (holdsNeedle(skeleton(value))) {
			return true;
		}
		String decoded = value;
		for (int round = 0; round < 2 && decoded.indexOf('%') >= 0; round++) {
			decoded = RouteShapes.percentDecode(decoded);
			if (holdsNeedle(skeleton(decoded))) {
				return true;
			}
		}
		Matcher runs = BASE64_RUN.matcher(value);
		while (runs.find()) {
			for (String text : base64Readings(runs.group())) {
				if (holdsNeedle(skeleton(text))) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Whether a word (a vocabulary value or a route word) holds one of the user's
	 * identifiers. It errs on the private side: a user named "Art" gets {@code "other"}
	 * for {@code start}, so no forwarded value ever contains a part of a name.
	 * @param word a word
	 * @return whether it holds one of the user's identifiers
	 */
	boolean isOwnWord(String word) {
		return !this.needles.isEmpty() && holdsNeedle(skeleton(word));
	}

	/**
	 * Whether a uuid (of an {@code anonymousId} or an event) is the user's own id.
	 * @param uuid a UUID as text
	 * @return whether it carries the user id
	 */
	boolean isOwnId(String uuid) {
		return !this.id.isEmpty() && skeleton(uuid).contains(this.id);
	}

	/**
	 * Whether a number is the user's id written as a number.
	 * @param number a number
	 * @return whether it equals the user id
	 */
	boolean isNumber(Number number) {
		if (this.id.isEmpty()) {
			return false;
		}
		String text = String.valueOf(number);
		if (text.equals(this.id)) {
			return true;
		}
		double d = number.doubleValue();
		return d == Math.rint(d) && Math.abs(d) < 1e18 && Long.toString((long) d).equals(this.id);
	}

	private boolean holdsNeedle(String skeleton) {
		for (String needle : this.needles) {
			if (skeleton.contains(needle)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * What a base64 or base64url run may say, read from each of its four alignments (an
	 * encoded identifier may start anywhere in a longer run).
	 */
	private static List<String> base64Readings(String run) {
		String standard = run.replace('-', '+').replace('_', '/').replace("=", "");
		List<String> readings = new ArrayList<>(4);
		for (int offset = 0; offset < 4 && standard.length() - offset >= MIN_BASE64_RUN; offset++) {
			String aligned = standard.substring(offset);
			aligned = aligned.substring(0, aligned.length() - aligned.length() % 4);
			try {
				readings.add(new String(Base64.getDecoder().decode(aligned), StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException ex) {
				// not base64 at this alignment
			}
		}
		return readings;
	}

	/**
	 * The skeleton of a string: folded, look-alikes mapped, letters and digits only.
	 * @param s a string
	 * @return its skeleton
	 */
	static String skeleton(String s) {
		return IdentifierRules.isAscii(s) ? asciiSkeleton(s) : foldedSkeleton(s);
	}

	/**
	 * The skeleton of ASCII text in one pass: folding changes nothing in it but case, and
	 * it has no look-alikes, so only its letters (lower-cased) and digits are kept. Most
	 * values and every UUID are ASCII, and the skeleton is taken of every value of an
	 * anonymized event; {@code UserIdentityPropertyTests} pins that both ways agree.
	 */
	static String asciiSkeleton(String s) {
		char[] out = new char[s.length()];
		int length = 0;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
				out[length++] = c;
			}
			else if (c >= 'A' && c <= 'Z') {
				out[length++] = (char) (c + ('a' - 'A'));
			}
		}
		return new String(out, 0, length);
	}

	/** The skeleton of any text, through {@link IdentifierRules#fold}. */
	static String foldedSkeleton(String s) {
		String folded = IdentifierRules.fold(s);
		StringBuilder out = new StringBuilder(folded.length());
		for (int i = 0; i < folded.length(); i++) {
			char c = folded.charAt(i);
			int lookAlike = (c > 0x7f) ? LOOK_ALIKES.indexOf(c) : -1;
			if (lookAlike >= 0 && lookAlike % 2 == 0) {
				out.append(LOOK_ALIKES.charAt(lookAlike + 1));
			}
			else if (Character.isLetterOrDigit(c)) {
				out.append(c);
			}
		}
		return out.toString().toLowerCase(Locale.ROOT);
	}

}
