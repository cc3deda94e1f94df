package so.second.gateway.database;

import java.time.Duration;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;

import static org.awaitility.Awaitility.await;

/**
 * {@link ChangeNotifications} for tests of one cache that need no application context.
 * Subscribe first ({@link ChangeNotifications} listens on the channels it knows when it
 * connects), then start it.
 */
public final class ListeningChangeNotifications {

	private ListeningChangeNotifications() {
	}

	public static ChangeNotifications forDatabase(String url, String username, String password) {
		DataSourceProperties properties = new DataSourceProperties();
		properties.setUrl(url);
		properties.setUsername(username);
		properties.setPassword(password);
		return new ChangeNotifications(properties);
	}

	/** Starts listening and returns once it is live. */
	public static void startAndAwaitLive(ChangeNotifications notifications) {
		notifications.start();
		await().atMost(Duration.ofSeconds(10)).until(notifications::live);
	}

	/**
	 * Returns once every change committed before this call has reached the subscribers.
	 */
	public static void awaitEverythingCommittedSoFar(ChangeNotifications notifications) {
		long now = System.nanoTime();
		await().atMost(Duration.ofSeconds(10)).until(() -> notifications.heardEverythingCommittedBefore(now));
	}

}
