package so.second.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import so.second.gateway.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow clients cannot hold the request threads: with four threads, a dozen connections
 * that stall in their headers or their body still leave the gateway answering, and each
 * is cut off within a bound. Short timeouts here; the shipped ones are in
 * application.yml.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.tomcat.threads.max=4",
		"server.tomcat.connection-timeout=1s", "second.http.body-read-timeout=1s" })
class SlowClientTests {

	/**
	 * How long a stalled connection may live: the 1 s timeout, with room for a slow
	 * machine.
	 */
	private static final Duration BOUND = Duration.ofSeconds(8);

	@LocalServerPort
	int port;

	@Test
	void connectionsStalledInTheirHeadersHoldNoThreadAndAreClosed() throws IOException {
		List<Socket> stalled = new ArrayList<>();
		try {
			for (int i = 0; i < 12; i++) {
				Socket socket = connect();
				// The start of a request, byte by byte, then nothing more.
				for (byte b : "GET /livez HTTP/1.1\r\nHost: local".getBytes(StandardCharsets.US_ASCII)) {
					socket.getOutputStream().write(b);
					socket.getOutputStream().flush();
				}
				stalled.add(socket);
			}

			assertThat(ApiClient.forPort(this.port).get("/livez").status()).isEqualTo(200);
			for (Socket socket : stalled) {
				assertThat(closedWithin(socket)).isTrue();
			}
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
	}

	@Test
	void connectionsStalledInTheirBodyAreCutOffAndFreeTheirThreads() throws IOException {
		List<Socket> stalled = new ArrayList<>();
		try {
			// More stalled bodies than threads: each holds a thread
			// until its read times out.
			for (int i = 0; i < 8; i++) {
				Socket socket = connect();
				OutputStream out = socket.getOutputStream();
				out.write(("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
						+ "Content-Length: 100\r\n\r\n{\"email\":")
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				stalled.add(socket);
			}

			for (Socket socket : stalled) {
				assertThat(closedWithin(socket)).isTrue();
			}
			assertThat(ApiClient.forPort(this.port).get("/livez").status()).isEqualTo(200);
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket("127.0.0.1", this.port);
		socket.setSoTimeout(Math.toIntExact(BOUND.toMillis()));
		return socket;
	}

	/**
	 * Whether the server ends the connection (an answer then end of stream, or a reset)
	 * before the socket's read timeout.
	 */
	private static boolean closedWithin(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		byte[] buffer = new byte[4096];
		try {
			while (in.read(buffer) >= 0) {
				// an answer (408, 400); keep reading to the end of the stream
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (java.net.SocketException ex) {
			return true; // reset by the server
		}
	}

}
