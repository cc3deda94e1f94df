package so.second.gateway.browser;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import so.second.gateway.operator.OperatorSettings;

/**
 * The {@code Content-Security-Policy} of the gateway's pages. Everything is same-origin,
 * except what session replay needs: {@code posthog-js} (and the recorder it loads next to
 * it) from the origin of the operator's {@code scriptUrl}, and the PostHog host for
 * replay uploads. When analytics are off for the deployment, not even those.
 *
 * @param header the header value
 */
record ContentSecurityPolicy(String header) {

	static ContentSecurityPolicy from(OperatorSettings operator) {
		Set<String> scripts = new LinkedHashSet<>();
		Set<String> connections = new LinkedHashSet<>();
		scripts.add("'self'");
		connections.add("'self'");
		if (operator.enabled()) {
			scripts.add(origin(operator.scriptUrl()));
			connections.add(hostSource(operator.host()));
		}
		String header = String.join("; ", "default-src 'self'", "script-src " + String.join(" ", scripts),
				"connect-src " + String.join(" ", connections), "img-src 'self'", "style-src 'self'",
				"object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'");
		return new ContentSecurityPolicy(header);
	}

	/**
	 * {@code scheme://host[:port]} of a URL that {@link OperatorSettings} already
	 * validated.
	 */
	private static String origin(String url) {
		URI uri = URI.create(url);
		return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT);
	}

	/**
	 * The PostHog host as a CSP source: its origin, or, when PostHog sits under a path of
	 * a reverse proxy ({@code https://example.com/ingest}), that path with a trailing
	 * slash, so the source matches the requests below it and nothing else on that site.
	 */
	private static String hostSource(String url) {
		String path = URI.create(url).getRawPath();
		if (path == null || path.isEmpty() || path.equals("/")) {
			return origin(url);
		}
		return origin(url) + (path.endsWith("/") ? path : path + "/");
	}

}
