package so.second.gateway.pipeline;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The identifier rules that apply on top of the tracking plan while a user is anonymized
 * (CONTRACT section 7, "Anonymized users"): keys that name identifiers are stripped, and
 * string values that hold an email address, a URL or a UUID, or the user's own id, email
 * or name, are dropped at any depth, whatever their key.
 */
final class IdentifierRules {

	/** Marks a value that does not survive. */
	static final Object DROP = new Object();

	/**
	 * The one key ending in {@code _id} that passes: it names a runtime, not a person.
	 */
	static final String RUNTIME_ID = "runtime_id";

	private static final List<String> IDENTIFIER_SUFFIXES = List.of("_id", "_ids", "_email", "_name", "_names");

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

	// Both patterns run on folded (lower-case) text, so they need no case-insensitive
	// matching.
	private static final Pattern URL = Pattern
		.compile("[a-z][a-z0-9+.-]*://" + "|\\bwww\\." + "|(?:[a-z0-9-]+\\.)+[a-z]{2,}(?::[0-9]+)?/"
				+ "|(?:[a-z0-9-]+\\.)+[a-z]{2,}:[0-9]+" + "|\\b(?:mailto|javascript|data|file|tel|sms|ftp):"
				+ "|\\blocalhost[:/]" + "|\\b[0-9]{1,3}(?:\\.[0-9]{1,3}){3}\\b");

	private static final Pattern UUID = Pattern
		.compile("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");

	/** The fewest characters a UUID without hyphens takes. */
	private static final int UUID_HEX_DIGITS = 32;

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
		for (String suffix : IDENTIFIER_SUFFIXES) {
			if (key.endsWith(suffix) || key.equals(suffix.substring(1))) {
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
	 * Whether a string holds an email address, a URL (a scheme, {@code www.}, a host with
	 * a path or port, an IPv4 address) or a UUID (with or without hyphens). Fullwidth and
	 * other compatibility forms are folded first.
	 * @param value a sanitized string
	 * @return whether an anonymized event must drop it
	 */
	static boolean holdsIdentifier(String value) {
		String folded = fold(value);
		return holdsEmail(folded) || mayHoldUrl(folded) && URL.matcher(folded).find()
				|| folded.length() >= UUID_HEX_DIGITS && UUID.matcher(folded).find();
	}

	/**
	 * Every URL shape the pattern knows has a dot or a colon, or is {@code localhost/}.
	 */
	private static boolean mayHoldUrl(String folded) {
		return folded.indexOf('.') >= 0 || folded.indexOf(':') >= 0 || folded.contains("localhost");
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

	/**
	 * Applies the value rules to a value at any depth.
	 * @param value a sanitized value
	 * @param user the identity to look for
	 * @return the value, with nested offenders removed, or {@link #DROP}
	 */
	static Object scrub(Object value, UserIdentity user) {
		if (value instanceof String s) {
			return (holdsIdentifier(s) || user.appearsIn(s)) ? DROP : s;
		}
		if (value instanceof Number n) {
			return user.isNumber(n) ? DROP : n;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> out = new LinkedHashMap<>();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				String key = (String) entry.getKey();
				if (isStrippedKey(key) || holdsIdentifier(key) || user.appearsIn(key)) {
					continue;
				}
				Object kept = scrub(entry.getValue(), user);
				if (kept != DROP) {
					out.put(key, kept);
				}
			}
			return Collections.unmodifiableMap(out);
		}
		if (value instanceof List<?> list) {
			List<Object> out = new ArrayList<>(list.size());
			for (Object element : list) {
				Object kept = scrub(element, user);
				if (kept != DROP) {
					out.add(kept);
				}
			}
			return Collections.unmodifiableList(out);
		}
		return value;
	}

	/**
	 * The form strings are compared in: compatibility characters folded (NFKC), lower
	 * case, runs of whitespace as one space.
	 * @param s a string
	 * @return its folded form
	 */
	static String fold(String s) {
		boolean ascii = true;
		for (int i = 0; i < s.length() && ascii; i++) {
			ascii = s.charAt(i) < 0x80;
		}
		String normalized = ascii ? s : Normalizer.normalize(s, Normalizer.Form.NFKC);
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

}
