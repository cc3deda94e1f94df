package so.second.gateway.pipeline;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identifier rules of an anonymized event (docs/api.md, what reaches PostHog:
 * anonymized).
 * <p>
 * Keys that name identifiers are stripped. Values are closed by the tracking plan's
 * vocabularies first ({@link PropertySpec#vocabularyValue(String)}); these rules are the
 * second line: they run on every anonymized string that is not a vocabulary value (the
 * segments of {@code route_shape}) and on the plan itself when it loads, so no vocabulary
 * value or route word can look like an identifier. A string holds an identifier when it
 * holds an email address, a URL (with a scheme, with or without {@code //}), a bare host
 * name, an IPv4 or IPv6 address, a UUID with any separator, a long high-entropy token
 * (API keys, JWTs), a card number (Luhn) or a phone number.
 */
final class IdentifierRules {

	/**
	 * The one key ending in {@code _id} that passes: it names a runtime, not a person.
	 */
	static final String RUNTIME_ID = "runtime_id";

	private static final List<String> IDENTIFIER_SUFFIXES = List.of("_id", "_ids", "_email", "_name", "_names");

	/** The suffixes' words alone ("id", "email", …), worked out once, not per key. */
	private static final Set<String> IDENTIFIER_WORDS = IDENTIFIER_SUFFIXES.stream()
		.map((suffix) -> suffix.substring(1))
		.collect(Collectors.toUnmodifiableSet());

	private static final List<String> CATEGORIES = List.of("user", "workspace", "app", "run", "agent", "prompt",
			"message", "error", "suggestion", "url", "referrer", "referer");

	/**
	 * Key tokens that mark an identifier or raw content: the categories of the contract
	 * in singular, plural and run-together id and name forms, plus the generic identifier
	 * words.
	 */
	private static final Set<String> STRIPPED_TOKENS;

	static {
		List<String> tokens = new ArrayList<>(List.of("id", "ids", "uuid", "guid", "email", "emails", "mail", "name",
				"names", "username", "login", "phone", "ip", "uri", "urls", "href", "link", "links", "referring",
				"hostname", "pathname", "title", "text", "content", "body", "password", "token", "secret", "key"));
		for (String category : CATEGORIES) {
			for (String form : List.of("", "s", "id", "ids", "name", "names")) {
				tokens.add(category + form);
			}
		}
		STRIPPED_TOKENS = Set.copyOf(tokens);
	}

	// The patterns below run on folded text (lower case, compatibility forms folded,
	// invisible characters removed), so they need no case-insensitive matching.

	/**
	 * A scheme with {@code //}, {@code www.}, a well-known scheme without slashes,
	 * localhost.
	 */
	private static final Pattern URL = Pattern.compile("[a-z][a-z0-9+.-]*:/" + "|(?<![a-z0-9])www\\."
			+ "|(?<![a-z0-9])(?:https?|wss?|ftps?|sftp|ssh|git|file|mailto|javascript|data|blob|tel|sms|ldap|smb):"
			+ "|(?<![a-z0-9])localhost(?![a-z0-9])");

	/** A host name: labels joined by dots, ending in a label of two letters or more. */
	private static final Pattern HOST = Pattern
		.compile("(?<![a-z0-9-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z][a-z0-9-]*[a-z](?![a-z0-9-])");

	/** An IPv4 address, also glued to letters ({@code ECONNREFUSED_203.0.113.77}). */
	private static final Pattern IPV4 = Pattern.compile("(?<![0-9])[0-9]{1,3}(?:\\.[0-9]{1,3}){3}(?![0-9])");

	/** An IPv6 address: hex groups joined by two colons or more. */
	private static final Pattern IPV6 = Pattern.compile("(?<![0-9a-z:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}");

	/** A UUID whatever separates its groups (or nothing). */
	private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}[^0-9a-z]{0,3}[0-9a-f]{4}[^0-9a-z]{0,3}"
			+ "[0-9a-f]{4}[^0-9a-z]{0,3}[0-9a-f]{4}[^0-9a-z]{0,3}[0-9a-f]{12}");

	/** A run of token characters, on the original text (case matters for entropy). */
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_+/=.~-]{16,}");

	/**
	 * Digits with at most one separator between them, as phone and card numbers are
	 * written.
	 */
	private static final Pattern DIGIT_RUN = Pattern.compile("\\+?[0-9](?:[ ().-]?[0-9])+");

	/** A token of this length mixing letters and digits is a key, not a word. */
	private static final int LONG_TOKEN = 20;

	/** The fewest digits of a phone number (without country code). */
	private static final int PHONE_DIGITS = 7;

	private IdentifierRules() {
	}

	/**
	 * Whether an anonymized event must lose this key: it ends in {@code _id},
	 * {@code _ids}, {@code _email}, {@code _name} or {@code _names} (except
	 * {@code runtime_id}), or one of its underscore-separated words names a user,
	 * workspace, app, run, agent, prompt, message, raw error, suggestion, URL, referrer
	 * or another identifier. Counts ({@code _count}), durations ({@code _ms}) and
	 * {@code error_code} are outcomes, not identifiers, and pass the word rule.
	 * @param key a snake_case key
	 * @return whether the key is stripped while anonymized
	 */
	static boolean isStrippedKey(String key) {
		if (key.equals(RUNTIME_ID)) {
			return false;
		}
		if (IDENTIFIER_WORDS.contains(key)) {
			return true;
		}
		for (String suffix : IDENTIFIER_SUFFIXES) {
			if (key.endsWith(suffix)) {
				return true;
			}
		}
		if (key.endsWith("_count") || key.endsWith("_ms") || key.equals("error_code")) {
			return false;
		}
		int start = 0;
		while (start <= key.length()) {
			int end = key.indexOf('_', start);
			if (end < 0) {
				end = key.length();
			}
			if (STRIPPED_TOKENS.contains(key.substring(start, end))) {
				return true;
			}
			start = end + 1;
		}
		return false;
	}

	/**
	 * Whether a string holds an identifier of any family this class knows.
	 * @param value a string
	 * @return whether an anonymized event must not carry it
	 */
	static boolean holdsIdentifier(String value) {
		String folded = fold(value);
		return holdsEmail(folded) || URL.matcher(folded).find() || HOST.matcher(folded).find()
				|| IPV4.matcher(folded).find() || holdsIpv6(folded) || UUID.matcher(folded).find() || holdsToken(value)
				|| holdsPhoneOrCard(folded);
	}

	/** Any {@code @} (or a lookalike) with a non-space character on each side. */
	private static boolean holdsEmail(String s) {
		for (int i = 1; i < s.length() - 1; i++) {
			char c = s.charAt(i);
			if ((c == '@' || c == '\uFE6B' || c == '\uFF20') && !Character.isWhitespace(s.charAt(i - 1))
					&& !Character.isWhitespace(s.charAt(i + 1))) {
				return true;
			}
		}
		return false;
	}

	/** Two colons or more among hex groups, with at least two hex digits. */
	private static boolean holdsIpv6(String s) {
		if (s.indexOf(':') < 0) {
			return false;
		}
		Matcher matcher = IPV6.matcher(s);
		while (matcher.find()) {
			String match = matcher.group();
			int hexDigits = 0;
			for (int i = 0; i < match.length(); i++) {
				hexDigits += (match.charAt(i) != ':') ? 1 : 0;
			}
			if (hexDigits >= 2 || match.contains("::")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A long run of token characters mixing letters and digits (API keys, JWTs, session
	 * ids), or a shorter one mixing upper case, lower case and digits.
	 */
	private static boolean holdsToken(String s) {
		Matcher matcher = TOKEN.matcher(s);
		while (matcher.find()) {
			String token = matcher.group();
			boolean upper = false;
			boolean lower = false;
			boolean digit = false;
			for (int i = 0; i < token.length(); i++) {
				char c = token.charAt(i);
				upper |= c >= 'A' && c <= 'Z';
				lower |= c >= 'a' && c <= 'z';
				digit |= c >= '0' && c <= '9';
			}
			if (digit && (upper || lower) && (token.length() >= LONG_TOKEN || (upper && lower))) {
				return true;
			}
		}
		return false;
	}

	/** Seven digits or more written as one number: a phone number, or a card (Luhn). */
	private static boolean holdsPhoneOrCard(String s) {
		Matcher matcher = DIGIT_RUN.matcher(s);
		while (matcher.find()) {
			String digits = matcher.group().replaceAll("[^0-9]", "");
			if (digits.length() >= PHONE_DIGITS || isCardNumber(digits)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether digits form a payment card number: 13 to 19 digits passing the Luhn check.
	 * @param digits decimal digits only
	 * @return whether it is a card number
	 */
	static boolean isCardNumber(String digits) {
		if (digits.length() < 13 || digits.length() > 19) {
			return false;
		}
		int sum = 0;
		for (int i = 0; i < digits.length(); i++) {
			int digit = digits.charAt(digits.length() - 1 - i) - '0';
			if (i % 2 == 1) {
				digit *= 2;
				digit = (digit > 9) ? digit - 9 : digit;
			}
			sum += digit;
		}
		return sum % 10 == 0;
	}

	/**
	 * The form strings are compared in: compatibility characters folded (NFKC), invisible
	 * characters (zero-width spaces and joiners, soft hyphens, byte-order marks) removed,
	 * lower case, runs of whitespace as one space.
	 * @param s a string
	 * @return its folded form
	 */
	static String fold(String s) {
		String normalized = isAscii(s) ? s : withoutInvisible(Normalizer.normalize(s, Normalizer.Form.NFKC));
		String lower = normalized.toLowerCase(Locale.ROOT);
		StringBuilder out = null;
		boolean previousSpace = false;
		for (int i = 0; i < lower.length(); i++) {
			char c = lower.charAt(i);
			boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c);
			if (space && (previousSpace || c != ' ') && out == null) {
				out = new StringBuilder(lower.length()).append(lower, 0, i);
			}
			if (out != null && !(space && previousSpace)) {
				out.append(space ? ' ' : c);
			}
			previousSpace = space;
		}
		return (out != null) ? out.toString() : lower;
	}

	/**
	 * Whether every character is ASCII, where NFKC and the invisible characters change
	 * nothing.
	 */
	static boolean isAscii(String s) {
		for (int i = 0; i < s.length(); i++) {
			if (s.charAt(i) >= 0x80) {
				return false;
			}
		}
		return true;
	}

	/** Removes format characters (Unicode category Cf) and variation selectors. */
	static String withoutInvisible(String s) {
		StringBuilder out = null;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			boolean invisible = Character.getType(c) == Character.FORMAT || (c >= '\uFE00' && c <= '\uFE0F')
					|| c == '\u180E' || c == '\u034F';
			if (invisible && out == null) {
				out = new StringBuilder(s.length()).append(s, 0, i);
			}
			if (out != null && !invisible) {
				out.append(c);
			}
		}
		return (out != null) ? out.toString() : s;
	}

}
