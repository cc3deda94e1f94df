package so.second.gateway.pipeline;

import java.time.Duration;

/**
 * Every bound the pipeline enforces, in one place. {@code docs/pipeline.md} documents
 * each of them; change both together.
 */
final class Limits {

	/** Longest property key, in characters; keys are {@code [a-z][a-z0-9_]*}. */
	static final int MAX_KEY_LENGTH = 64;

	/**
	 * Longest string value, in UTF-16 code units; longer strings are cut, never inside a
	 * surrogate pair.
	 */
	static final int MAX_STRING_LENGTH = 1000;

	/**
	 * Deepest nesting: the {@code properties} object is level 1, an object or array
	 * inside it level 2, and so on. A container that would sit below this level is
	 * dropped with its key.
	 */
	static final int MAX_DEPTH = 4;

	/** Most elements of one array; the rest are dropped. */
	static final int MAX_ARRAY_LENGTH = 50;

	/** Most properties of one object (at any level); the rest are dropped. */
	static final int MAX_PROPERTIES_PER_OBJECT = 100;

	/**
	 * Most values (scalars and containers together, the {@code properties} object
	 * excluded) in one event's properties; once spent, further values are dropped.
	 */
	static final int MAX_VALUES_PER_EVENT = 1000;

	/** Longest {@code surface}, in characters. */
	static final int MAX_SURFACE_LENGTH = 64;

	/** Largest {@code viewport_width} or {@code viewport_height}. */
	static final int MAX_VIEWPORT = 100_000;

	/** Most segments of a {@code route_shape}; the rest are dropped. */
	static final int MAX_ROUTE_SEGMENTS = 16;

	/** Longest literal route segment; a longer one becomes {@code :id}. */
	static final int MAX_ROUTE_LITERAL_LENGTH = 32;

	/** Most characters of client input quoted in a rejection reason. */
	static final int MAX_ECHO_LENGTH = 64;

	/** Oldest client timestamp kept, relative to the receive time. */
	static final Duration MAX_TIMESTAMP_AGE = Duration.ofHours(24);

	/** Furthest a client timestamp may lie ahead of the receive time. */
	static final Duration MAX_TIMESTAMP_AHEAD = Duration.ofMinutes(1);

	private Limits() {
	}

}
