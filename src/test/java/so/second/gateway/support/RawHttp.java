package so.second.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP over a plain socket, for requests that HTTP clients would normalise or refuse to
 * send: encoded dots, raw braces, two {@code Content-Length}s, unknown methods.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Sends the bytes as they are and reads until the server closes the connection (send
	 * {@code Connection: close}) or ten seconds pass.
	 * @return the whole answer, headers and body
	 */
	public static String exchange(int port, String request) throws IOException {
		return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
	}

	public static String exchange(int port, byte[] request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			try {
				for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
					answer.write(buffer, 0, n);
				}
			}
			catch (SocketTimeoutException | java.net.SocketException ex) {
				// what arrived is the answer
			}
			return answer.toString(StandardCharsets.UTF_8);
		}
	}

	/** The status code of a raw answer. */
	public static int status(String answer) {
		return Integer.parseInt(answer.substring(9, 12));
	}

	/** A header of a raw answer, or {@code null}. */
	public static String header(String answer, String name) {
		String head = answer.contains("\r\n\r\n") ? answer.substring(0, answer.indexOf("\r\n\r\n")) : answer;
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0
					&& line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
				return line.substring(colon + 1).trim();
			}
		}
		return null;
	}

	/** The body of a raw answer (chunked framing left in place). */
	public static String body(String answer) {
		int end = answer.indexOf("\r\n\r\n");
		return end < 0 ? "" : answer.substring(end + 4);
	}

}
