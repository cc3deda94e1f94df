package so.second.gateway.pipeline;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Turns whatever the browser sent as {@code route_shape} into a route shape that names no
 * workspace, object, run, agent, integration or other identifier (docs/api.md, what
 * reaches PostHog).
 * <p>
 * The rules, in order: a full URL (or a {@code host/path}) keeps only its path; the
 * query, the fragment and {@code ;matrix} parameters are dropped; each segment is
 * percent-decoded (bad escapes stay as they are); empty, {@code .} and {@code ..}
 * segments are dropped; the segment after {@code w} becomes {@code :workspace}, after
 * {@code apps} {@code :objectId}, after {@code runs} {@code :runId}, after {@code agents}
 * {@code :agentId}; everything after {@code integrations} becomes one
 * {@code :integration}; every other segment that is id-like, not a plain
 * {@code [A-Za-z0-9_-]} word, longer than {@link Limits#MAX_ROUTE_LITERAL_LENGTH} or an
 * unknown {@code :placeholder} becomes {@code :id}. At most
 * {@link Limits#MAX_ROUTE_SEGMENTS} segments are kept. The result starts with {@code /}
 * and has no trailing slash unless it is the root. Normalizing a normalized shape changes
 * nothing.
 */
public final class RouteShapes {

	private static final Set<String> PLACEHOLDERS = Set.of(":workspace", ":objectId", ":runId", ":agentId",
			":integration", ":id");

	private static final Pattern SCHEME_AUTHORITY = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

	private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+|localhost)(?::[0-9]*)?");

	private static final Pattern UUID_SHAPE = Pattern
		.compile("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

	private RouteShapes() {
	}

	/**
	 * Normalizes a route, a path or a full URL into a route shape.
	 * @param route what the browser sent; may be anything
	 * @return the route shape, such as {@code /w/:workspace/apps/:objectId}; {@code null}
	 * only for {@code null}
	 */
	public static String normalize(String route) {
		if (route == null) {
			return null;
		}
		String path = pathPart(route);
		List<String> shape = new ArrayList<>();
		String placeholderForNext = null;
		boolean restIsIntegration = false;
		int start = 0;
		while (start <= path.length() && shape.size() < Limits.MAX_ROUTE_SEGMENTS) {
			int slash = path.indexOf('/', start);
			int end = (slash < 0) ? path.length() : slash;
			String segment = segment(path, start, end);
			start = end + 1;
			if (segment == null) {
				continue;
			}
			if (placeholderForNext != null) {
				shape.add(placeholderForNext);
				placeholderForNext = null;
				if (restIsIntegration) {
					break;
				}
				continue;
			}
			String literal = classify(segment);
			shape.add(literal);
			switch (literal.toLowerCase(Locale.ROOT)) {
				case "w" -> placeholderForNext = ":workspace";
				case "apps" -> placeholderForNext = ":objectId";
				case "runs" -> placeholderForNext = ":runId";
				case "agents" -> placeholderForNext = ":agentId";
				case "integrations" -> {
					placeholderForNext = ":integration";
					restIsIntegration = true;
				}
				default -> {
				}
			}
		}
		return "/" + String.join("/", shape);
	}

	/**
	 * Restricts a normalized route shape to a vocabulary, as an anonymized event needs it
	 * (docs/api.md, what reaches PostHog): placeholders stay, a literal segment stays
	 * only when it is one of the app's route words and not one of the user's own words,
	 * and every other segment becomes {@code :id}, whatever it looks like.
	 * @param shape a shape {@link #normalize(String)} produced
	 * @param routeWords the static words of the app's routes, each one that
	 * {@link #isRouteWord(String)} admits
	 * @param usersOwnWord whether a word is one of the user's own identifiers
	 * @return the restricted shape
	 */
	static String restrict(String shape, Set<String> routeWords, Predicate<String> usersOwnWord) {
		if (shape.equals("/")) {
			return shape;
		}
		StringBuilder out = new StringBuilder(shape.length());
		int start = 1;
		while (start <= shape.length()) {
			int slash = shape.indexOf('/', start);
			int end = (slash < 0) ? shape.length() : slash;
			String segment = shape.substring(start, end);
			// The plan's reader admitted only words that hold no identifier
			// (isRouteWord), so a route word needs no second look here.
			boolean kept = PLACEHOLDERS.contains(segment)
					|| (routeWords.contains(segment) && !usersOwnWord.test(segment));
			out.append('/').append(kept ? segment : ":id");
			start = end + 1;
		}
		return out.toString();
	}

	/**
	 * Whether a word may be one of the plan's route words: a lower-case
	 * {@code [a-z][a-z0-9_-]*} of at most {@link Limits#MAX_ROUTE_LITERAL_LENGTH}
	 * characters that does not look like an identifier.
	 * @param word a candidate
	 * @return whether it is a static route word
	 */
	static boolean isRouteWord(String word) {
		if (word.isEmpty() || word.length() > Limits.MAX_ROUTE_LITERAL_LENGTH || word.charAt(0) < 'a'
				|| word.charAt(0) > 'z') {
			return false;
		}
		for (int i = 1; i < word.length(); i++) {
			char c = word.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
				return false;
			}
		}
		return !isIdLike(word) && !IdentifierRules.holdsIdentifier(word);
	}

	/**
	 * The path of a route, URL or host-and-path, without query, fragment or leading host.
	 */
	private static String pathPart(String route) {
		String s = route.strip().replace('\\', '/');
		int authorityStart = -1;
		var scheme = SCHEME_AUTHORITY.matcher(s);
		if (scheme.find()) {
			authorityStart = scheme.end();
		}
		else if (s.startsWith("//")) {
			authorityStart = 2;
		}
		if (authorityStart >= 0) {
			int pathStart = firstOf(s, authorityStart, "/?#");
			s = (pathStart < 0) ? "" : s.substring(pathStart);
		}
		else if (!s.startsWith("/")) {
			int firstEnd = firstOf(s, 0, "/?#");
			String first = (firstEnd < 0) ? s : s.substring(0, firstEnd);
			if (HOST.matcher(first).matches()) {
				s = (firstEnd < 0) ? "" : s.substring(firstEnd);
			}
		}
		int cut = firstOf(s, 0, "?#");
		return (cut < 0) ? s : s.substring(0, cut);
	}

	private static int firstOf(String s, int from, String chars) {
		for (int i = from; i < s.length(); i++) {
			if (chars.indexOf(s.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

	/** One decoded segment, or {@code null} when the segment is to be skipped. */
	private static String segment(String path, int start, int end) {
		int matrix = path.indexOf(';', start);
		if (matrix >= 0 && matrix < end) {
			end = matrix;
		}
		if (start >= end) {
			return null;
		}
		String segment = percentDecode(path.substring(start, end));
		if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
			return null;
		}
		return segment;
	}

	/**
	 * Decodes {@code %XX} escapes as UTF-8; bad escapes stay, bad bytes become U+FFFD.
	 */
	static String percentDecode(String segment) {
		if (segment.indexOf('%') < 0) {
			return segment;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
		int i = 0;
		while (i < segment.length()) {
			char c = segment.charAt(i);
			if (c == '%' && i + 2 < segment.length() && hex(segment.charAt(i + 1)) >= 0
					&& hex(segment.charAt(i + 2)) >= 0) {
				bytes.write(hex(segment.charAt(i + 1)) * 16 + hex(segment.charAt(i + 2)));
				i += 3;
			}
			else {
				int cp = segment.codePointAt(i);
				byte[] encoded = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
				bytes.write(encoded, 0, encoded.length);
				i += Character.charCount(cp);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static int hex(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

	/**
	 * A segment as it appears in the shape: itself when it is a safe word, else a
	 * placeholder.
	 */
	private static String classify(String segment) {
		if (segment.charAt(0) == ':') {
			return PLACEHOLDERS.contains(segment) ? segment : ":id";
		}
		if (segment.length() > Limits.MAX_ROUTE_LITERAL_LENGTH || !isWord(segment) || isIdLike(segment)) {
			return ":id";
		}
		return segment;
	}

	private static boolean isWord(String segment) {
		for (int i = 0; i < segment.length(); i++) {
			char c = segment.charAt(i);
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether a word looks like an identifier rather than a route word: a UUID, anything
	 * with digits but no letters (numbers, dates), a hex run of 12 or more, letters mixed
	 * with digits in 8 or more characters (ULIDs, nanoids, object ids), or 16 or more
	 * characters mixing upper and lower case (base64-ish tokens).
	 */
	static boolean isIdLike(String word) {
		if (UUID_SHAPE.matcher(word).matches()) {
			return true;
		}
		boolean letters = false;
		boolean digits = false;
		boolean upper = false;
		boolean lower = false;
		boolean hexOnly = true;
		for (int i = 0; i < word.length(); i++) {
			char c = word.charAt(i);
			if (c >= '0' && c <= '9') {
				digits = true;
			}
			else if (c >= 'a' && c <= 'z') {
				letters = true;
				lower = true;
				hexOnly &= c <= 'f';
			}
			else if (c >= 'A' && c <= 'Z') {
				letters = true;
				upper = true;
				hexOnly &= c <= 'F';
			}
			else {
				hexOnly = false;
			}
		}
		if (digits && !letters) {
			return true;
		}
		if (hexOnly && word.length() >= 12) {
			return true;
		}
		if (letters && digits && word.length() >= 8) {
			return true;
		}
		return upper && lower && word.length() >= 16;
	}

}
