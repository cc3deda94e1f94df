package so.second.gateway.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * PostgreSQL {@code LISTEN/NOTIFY} on one dedicated connection: how one instance tells
 * every other that something it may hold in memory changed (a session ended, a user's
 * settings changed). The notifications come from triggers, so they are sent in the very
 * transaction of the change and arrive only once it committed.
 *
 * <p>
 * A cache may trust itself only while {@link #live()} says so. The connection is checked
 * with a heartbeat every {@link #HEARTBEAT}; PostgreSQL delivers a listening session's
 * notifications before it answers its next query, so once a heartbeat is answered, every
 * change committed before it was sent has been handed to the subscribers. A cache that is
 * used only within {@link #MAX_LAG} of that instant is never more than that behind. When
 * the connection fails, {@link Subscriber#reset()} is called and the instance keeps
 * trying to connect; a new connection calls it again (what was cached meanwhile may have
 * missed notifications).
 */
@Component
public final class ChangeNotifications implements SmartLifecycle {

	/** The longest a cache that checks {@link #live()} may be behind a commit. */
	public static final Duration MAX_LAG = Duration.ofSeconds(1);

	static final Duration HEARTBEAT = Duration.ofMillis(200);

	// The heartbeat's answer must be back within this of its sending, leaving room for
	// the time between the check and the use of a cached value.
	private static final long TRUST_NANOS = MAX_LAG.toNanos() * 8 / 10;

	private static final Duration RECONNECT_DELAY = Duration.ofMillis(500);

	private static final Pattern CHANNEL = Pattern.compile("[a-z_]{1,63}");

	private static final Logger log = LoggerFactory.getLogger(ChangeNotifications.class);

	private final DataSourceProperties dataSource;

	private final Map<String, List<Subscriber>> subscribers = new ConcurrentHashMap<>();

	private final Object wakeUp = new Object();

	private volatile long confirmedAtNanos;

	private volatile boolean connected;

	private volatile boolean running;

	private Thread listener;

	ChangeNotifications(DataSourceProperties dataSource) {
		Assert.notNull(dataSource, "dataSource must not be null");
		this.dataSource = dataSource;
	}

	/**
	 * Calls the subscriber for every notification on the channel, from the listening
	 * thread.
	 * @param channel a channel name the triggers of a migration notify
	 */
	public void subscribe(String channel, Subscriber subscriber) {
		Assert.isTrue(CHANNEL.matcher(channel).matches(), "channel must be a plain lower-case name");
		this.subscribers.computeIfAbsent(channel, (name) -> new CopyOnWriteArrayList<>()).add(subscriber);
	}

	/**
	 * Whether every change committed more than {@link #MAX_LAG} ago has reached the
	 * subscribers. A cache must not be read or filled while this is {@code false}.
	 */
	public boolean live() {
		return this.connected && System.nanoTime() - this.confirmedAtNanos < TRUST_NANOS;
	}

	/**
	 * Whether every change committed before {@code nanoTime} ({@link System#nanoTime()})
	 * has reached the subscribers: a heartbeat sent after it has been answered.
	 */
	boolean heardEverythingCommittedBefore(long nanoTime) {
		return this.connected && this.confirmedAtNanos - nanoTime > 0;
	}

	@Override
	public void start() {
		this.running = true;
		this.listener = new Thread(this::listen, "change-notifications");
		this.listener.setDaemon(true);
		this.listener.start();
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.listener != null) {
			this.listener.interrupt();
			try {
				this.listener.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.connected = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void listen() {
		boolean failing = false;
		while (this.running) {
			try (Connection connection = connect()) {
				PGConnection postgres = connection.unwrap(PGConnection.class);
				try (Statement statement = connection.createStatement()) {
					for (String channel : this.subscribers.keySet()) {
						statement.execute("LISTEN " + channel);
					}
				}
				// what was cached before this connection may have missed notifications
				resetAll();
				this.confirmedAtNanos = System.nanoTime();
				this.connected = true;
				if (failing) {
					log.info("Listening for changes from other instances again");
					failing = false;
				}
				while (this.running) {
					long sentAt = System.nanoTime();
					try (Statement statement = connection.createStatement()) {
						statement.execute("SELECT 1");
					}
					dispatch(postgres.getNotifications());
					this.confirmedAtNanos = sentAt;
					dispatch(postgres.getNotifications((int) HEARTBEAT.toMillis()));
				}
			}
			catch (SQLException | RuntimeException ex) {
				this.connected = false;
				resetAll();
				if (!this.running) {
					return;
				}
				if (!failing) {
					log.warn("Lost the connection that hears changes from other instances; caches are off until it is "
							+ "back: {}", ex.toString());
					failing = true;
				}
				pause(RECONNECT_DELAY);
			}
		}
	}

	private Connection connect() throws SQLException {
		Properties properties = new Properties();
		String user = this.dataSource.determineUsername();
		String password = this.dataSource.determinePassword();
		if (user != null) {
			properties.setProperty("user", user);
		}
		if (password != null) {
			properties.setProperty("password", password);
		}
		properties.setProperty("ApplicationName", "gateway-change-notifications");
		properties.setProperty("connectTimeout", "3");
		// a half-open connection must fail the heartbeat, not block it
		properties.setProperty("socketTimeout", "5");
		properties.setProperty("tcpKeepAlive", "true");
		return DriverManager.getConnection(this.dataSource.determineUrl(), properties);
	}

	private void dispatch(PGNotification[] notifications) {
		if (notifications == null) {
			return;
		}
		for (PGNotification notification : notifications) {
			for (Subscriber subscriber : this.subscribers.getOrDefault(notification.getName(), List.of())) {
				try {
					subscriber.changed(notification.getParameter());
				}
				catch (RuntimeException ex) {
					log.warn("A subscriber to {} failed: {}", notification.getName(), ex.toString());
				}
			}
		}
	}

	private void resetAll() {
		this.subscribers.values().forEach((list) -> list.forEach(Subscriber::reset));
	}

	private void pause(Duration delay) {
		synchronized (this.wakeUp) {
			try {
				this.wakeUp.wait(delay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.running = false;
			}
		}
	}

	/** Something that holds copies of rows and must hear when they change. */
	public interface Subscriber {

		/** The row named by the payload changed or is gone. */
		void changed(String payload);

		/**
		 * Notifications may have been missed: forget everything.
		 */
		void reset();

	}

}
