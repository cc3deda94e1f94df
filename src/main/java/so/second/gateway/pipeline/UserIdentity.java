package so.second.gateway.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The signed-in user's own id, email and name in comparable form, so an anonymized event
 * can drop any value that equals or contains one of them (case-insensitive, compatibility
 * forms and whitespace folded). The name counts only from 3 characters, the email's local
 * part only from 4; shorter ones would match ordinary words.
 */
final class UserIdentity {

	private static final int MIN_NAME_LENGTH = 3;

	private static final int MIN_LOCAL_PART_LENGTH = 4;

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
		List<String> needles = new ArrayList<>(4);
		String id = (userId != null) ? IdentifierRules.fold(userId.strip()) : "";
		if (!id.isEmpty()) {
			needles.add(id);
		}
		if (email != null && !email.isBlank()) {
			String folded = IdentifierRules.fold(email.strip());
			needles.add(folded);
			int at = folded.indexOf('@');
			if (at >= MIN_LOCAL_PART_LENGTH) {
				needles.add(folded.substring(0, at));
			}
		}
		if (name != null) {
			String folded = IdentifierRules.fold(name.strip());
			if (folded.codePointCount(0, folded.length()) >= MIN_NAME_LENGTH) {
				needles.add(folded);
			}
		}
		return new UserIdentity(List.copyOf(needles), id);
	}

	/**
	 * Whether a string equals or contains the user's id, email (or its local part) or
	 * name.
	 * @param value a string
	 * @return whether it identifies the user
	 */
	boolean appearsIn(String value) {
		if (this.needles.isEmpty()) {
			return false;
		}
		String folded = IdentifierRules.fold(value);
		// Folding can compose a character across a needle's edge ("e" + U+0301 becomes
		// "é");
		// the plain lower-case form still shows the needle, so look there too.
		String lower = value.toLowerCase(Locale.ROOT);
		for (String needle : this.needles) {
			if (folded.contains(needle) || lower.contains(needle)) {
				return true;
			}
		}
		return false;
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

}
