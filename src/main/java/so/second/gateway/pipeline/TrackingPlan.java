package so.second.gateway.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The tracking plan: the events the gateway accepts (the 19 of the product description;
 * this file is the only list of them) and, for each, the properties (name, type, bounds)
 * that may pass while a user is anonymized, the vocabulary of each string property and of
 * the page's {@code surface}, and the static words of the app's routes. It is read from
 * one versioned, human-readable YAML file and validated as a whole; anything wrong stops
 * loading with a message naming the line at fault. A plan that would let free text
 * through while anonymized does not load: there is no free-text string type, and no
 * vocabulary value or route word may look like an identifier. The file's format is
 * described in {@code docs/pipeline.md}.
 */
public final class TrackingPlan {

	/** Where {@link #fromClasspath()} reads the plan. */
	static final String CLASSPATH_LOCATION = "/tracking-plan.yaml";

	private final String version;

	private final Map<String, EventSpec> events;

	private final PropertySpec surface;

	private final Set<String> routeWords;

	TrackingPlan(String version, Map<String, EventSpec> events, PropertySpec surface, Set<String> routeWords) {
		this.version = version;
		this.events = events;
		this.surface = surface;
		this.routeWords = routeWords;
	}

	/**
	 * Reads and validates a tracking plan.
	 * @param yamlText the plan's YAML text
	 * @param sourceName how error messages name the source, such as
	 * {@code tracking-plan.yaml}
	 * @return the plan
	 * @throws TrackingPlanException when the text is not a valid plan; the message names
	 * the line
	 */
	public static TrackingPlan load(String yamlText, String sourceName) {
		return TrackingPlanReader.read(yamlText, sourceName);
	}

	/**
	 * Reads and validates the plan shipped with the gateway, {@code /tracking-plan.yaml}
	 * on the class path.
	 * @return the plan
	 * @throws TrackingPlanException when it is missing or not a valid plan
	 */
	public static TrackingPlan fromClasspath() {
		try (InputStream in = TrackingPlan.class.getResourceAsStream(CLASSPATH_LOCATION)) {
			if (in == null) {
				throw new TrackingPlanException("tracking plan " + CLASSPATH_LOCATION + " is not on the class path");
			}
			return load(new String(in.readAllBytes(), StandardCharsets.UTF_8), "tracking-plan.yaml");
		}
		catch (IOException ex) {
			throw new TrackingPlanException("tracking plan " + CLASSPATH_LOCATION + " could not be read", ex);
		}
	}

	/**
	 * The names of the events the gateway accepts.
	 * @return the 19 event names of the product description, in its order
	 */
	public Set<String> eventNames() {
		return this.events.keySet();
	}

	/**
	 * The plan's version, as written in its {@code version} field.
	 * @return the version
	 */
	public String version() {
		return this.version;
	}

	/**
	 * The vocabulary of the page context's {@code surface}.
	 * @return its enum declaration
	 */
	PropertySpec surface() {
		return this.surface;
	}

	/**
	 * The static words of the app's routes, the only literal segments an anonymized
	 * {@code route_shape} keeps.
	 * @return the words
	 */
	Set<String> routeWords() {
		return this.routeWords;
	}

	/**
	 * The declaration of one event.
	 * @param name an event name
	 * @return its declaration, or {@code null} for a name the plan does not know
	 */
	EventSpec event(String name) {
		return this.events.get(name);
	}

	@Override
	public String toString() {
		return "TrackingPlan[version=" + this.version + ", events=" + this.events.size() + "]";
	}

}
