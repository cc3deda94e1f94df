package so.second.gateway.delivery;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.SmartLifecycle;

/**
 * Thread names and lifecycle phases of delivery. Phases order the shutdown: the web
 * server drains its requests first (its phases are higher), then the workers stop
 * claiming and finish their sends, and the group-commit writer stops last, after the last
 * request that could append has ended.
 */
final class DeliveryThreads {

	/**
	 * Stops after the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}) and
	 * its stop.
	 */
	static final int WORKERS_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	/** Stops after everything else of delivery, so every accepted append is committed. */
	static final int WRITER_PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

	private DeliveryThreads() {
	}

	/**
	 * Daemon threads: a stuck thread never keeps a stopping JVM alive; stop() ends them
	 * in order.
	 */
	static ThreadFactory named(String prefix) {
		AtomicInteger sequence = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + sequence.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
