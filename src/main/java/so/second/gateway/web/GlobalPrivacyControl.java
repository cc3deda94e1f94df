package so.second.gateway.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The browser's Global Privacy Control signal ({@code Sec-GPC: 1}): a request that
 * carries it is treated as anonymized whatever the user's setting, and no
 * {@code $identify} follows from it.
 */
public final class GlobalPrivacyControl {

	/** The request header browsers send the signal in. */
	public static final String HEADER = "Sec-GPC";

	private GlobalPrivacyControl() {
	}

	/** Whether the request asks for privacy. */
	public static boolean requested(HttpServletRequest request) {
		return "1".equals(request.getHeader(HEADER));
	}

}
