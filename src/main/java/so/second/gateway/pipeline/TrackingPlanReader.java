package so.second.gateway.pipeline;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a {@link TrackingPlan} from its YAML text: walks the composed YAML nodes rather
 * than binding them, so every complaint can name its line, and validates the plan as a
 * whole (see {@link TrackingPlan} for the rules, {@code docs/pipeline.md} for the
 * format).
 */
final class TrackingPlanReader {

	/**
	 * An event name: lower-case words joined by single spaces, as the product names them.
	 */
	private static final Pattern EVENT_NAME = Pattern.compile("[a-z]+(?: [a-z]+)*");

	private static final Set<String> ROOT_KEYS = Set.of("version", "description", "route_words", "page_context",
			"property_groups", "events");

	/**
	 * The longest vocabulary value: vocabularies name things, they do not describe them.
	 */
	private static final int MAX_VALUE_LENGTH = 100;

	private static final Set<String> EVENT_KEYS = Set.of("description", "include", "properties");

	private static final Set<String> PROPERTY_KEYS = Set.of("type", "description", "min", "max", "values");

	private static final Set<String> RESERVED_KEYS;

	static {
		Set<String> reserved = new LinkedHashSet<>(PageContext.KEYS);
		reserved.addAll(ReleaseStage.KEYS);
		RESERVED_KEYS = Collections.unmodifiableSet(reserved);
	}

	private final String source;

	private TrackingPlanReader(String source) {
		this.source = source;
	}

	/**
	 * @param yamlText the plan's YAML text
	 * @param sourceName how error messages name the source
	 * @throws TrackingPlanException when the text is not a valid plan
	 */
	static TrackingPlan read(String yamlText, String sourceName) {
		Objects.requireNonNull(yamlText, "yamlText");
		Objects.requireNonNull(sourceName, "sourceName");
		LoaderOptions options = new LoaderOptions();
		options.setMaxAliasesForCollections(20);
		options.setCodePointLimit(1_000_000);
		Node root;
		try {
			root = new Yaml(options).compose(new StringReader(yamlText));
		}
		catch (MarkedYAMLException ex) {
			Mark mark = (ex.getProblemMark() != null) ? ex.getProblemMark() : ex.getContextMark();
			String where = (mark != null) ? " line " + (mark.getLine() + 1) : "";
			throw new TrackingPlanException(sourceName + where + ": not valid YAML (" + ex.getProblem() + ")", ex);
		}
		catch (YAMLException ex) {
			throw new TrackingPlanException(sourceName + ": not valid YAML (" + ex.getMessage() + ")", ex);
		}
		return new TrackingPlanReader(sourceName).plan(root);
	}

	private TrackingPlan plan(Node root) {
		if (root == null) {
			throw new TrackingPlanException(this.source + ": the tracking plan is empty");
		}
		Map<String, NodeTuple> top = entries(mapping(root, "the tracking plan"), "the tracking plan");
		allowOnly(top, ROOT_KEYS, "the tracking plan");
		String version = scalarText(required(top, "version", root, "the tracking plan").getValueNode(), "version");
		if (version.isBlank()) {
			throw fail(top.get("version").getValueNode(), "version must not be empty");
		}
		Set<String> routeWords = routeWords(required(top, "route_words", root, "the tracking plan"));
		PropertySpec surface = pageContext(required(top, "page_context", root, "the tracking plan"));
		Map<String, Map<String, PropertySpec>> groups = new LinkedHashMap<>();
		NodeTuple groupsTuple = top.get("property_groups");
		if (groupsTuple != null && !isNull(groupsTuple.getValueNode())) {
			Map<String, NodeTuple> groupNodes = entries(mapping(groupsTuple.getValueNode(), "property_groups"),
					"property_groups");
			groupNodes.forEach((name, tuple) -> groups.put(name,
					properties(tuple.getValueNode(), "group \"" + name + "\"", new LinkedHashMap<>())));
		}
		NodeTuple eventsTuple = required(top, "events", root, "the tracking plan");
		Map<String, NodeTuple> eventNodes = entries(mapping(eventsTuple.getValueNode(), "events"), "events");
		Map<String, EventSpec> events = new LinkedHashMap<>();
		if (eventNodes.isEmpty()) {
			throw fail(eventsTuple.getValueNode(), "events must declare at least one event");
		}
		for (Map.Entry<String, NodeTuple> entry : eventNodes.entrySet()) {
			if (!EVENT_NAME.matcher(entry.getKey()).matches() || entry.getKey().length() > Limits.MAX_KEY_LENGTH) {
				throw fail(entry.getValue().getKeyNode(),
						"event name \"" + Sanitizer.cleanString(entry.getKey())
								+ "\" is not lower-case words joined by single spaces (at most " + Limits.MAX_KEY_LENGTH
								+ " characters)");
			}
			events.put(entry.getKey(), event(entry.getKey(), entry.getValue().getValueNode(), groups));
		}
		return new TrackingPlan(version, Collections.unmodifiableMap(events), surface, routeWords);
	}

	private Set<String> routeWords(NodeTuple tuple) {
		List<Node> nodes = scalarsOf(tuple.getValueNode(), "route_words");
		if (nodes.isEmpty()) {
			throw fail(tuple.getValueNode(), "route_words must not be empty");
		}
		Set<String> words = new LinkedHashSet<>();
		for (Node node : nodes) {
			String word = scalarText(node, "route_words");
			if (!RouteShapes.isRouteWord(word)) {
				throw fail(node,
						"route word \"" + Sanitizer.cleanString(word) + "\" is not a static route word: "
								+ "lower-case letters, digits, '-' and '_', at most " + Limits.MAX_ROUTE_LITERAL_LENGTH
								+ " characters, starting with a letter, not shaped like an id or a placeholder");
			}
			if (!words.add(word)) {
				throw fail(node, "route_words lists \"" + word + "\" twice");
			}
		}
		return Collections.unmodifiableSet(words);
	}

	private PropertySpec pageContext(NodeTuple tuple) {
		Map<String, NodeTuple> fields = entries(mapping(tuple.getValueNode(), "page_context"), "page_context");
		for (Map.Entry<String, NodeTuple> entry : fields.entrySet()) {
			if (!entry.getKey().equals(PageContext.SURFACE)) {
				throw fail(entry.getValue().getKeyNode(), "page_context declares only \"surface\": route_shape "
						+ "is built by the gateway from route_words, and the viewport is numbers");
			}
		}
		NodeTuple surface = required(fields, PageContext.SURFACE, tuple.getValueNode(), "page_context");
		PropertySpec spec = property(PageContext.SURFACE, surface.getValueNode(), "page_context");
		if (spec.type() != PropertySpec.Type.ENUM) {
			throw fail(surface.getValueNode(), "surface of page_context must be an enum");
		}
		for (String value : spec.values()) {
			if (!PageContext.isSurface(value)) {
				throw fail(surface.getValueNode(),
						"surface value \"" + value + "\" of page_context is not a "
								+ "surface: lower-case letters, digits, '_' and '-', at most "
								+ Limits.MAX_SURFACE_LENGTH + " characters");
			}
		}
		return spec;
	}

	private EventSpec event(String name, Node node, Map<String, Map<String, PropertySpec>> groups) {
		String where = "event \"" + name + "\"";
		Map<String, PropertySpec> properties = new LinkedHashMap<>();
		if (isNull(node)) {
			return new EventSpec(name, properties);
		}
		Map<String, NodeTuple> fields = entries(mapping(node, where), where);
		allowOnly(fields, EVENT_KEYS, where);
		NodeTuple include = fields.get("include");
		if (include != null) {
			for (Node groupNode : scalarsOf(include.getValueNode(), "include of " + where)) {
				String group = scalarText(groupNode, "include of " + where);
				Map<String, PropertySpec> members = groups.get(group);
				if (members == null) {
					throw fail(groupNode, where + " includes unknown property group \"" + group + "\"");
				}
				for (PropertySpec member : members.values()) {
					if (properties.putIfAbsent(member.name(), member) != null) {
						throw fail(groupNode, where + " declares property \"" + member.name() + "\" twice");
					}
				}
			}
		}
		NodeTuple own = fields.get("properties");
		if (own != null) {
			properties(own.getValueNode(), where, properties);
		}
		return new EventSpec(name, properties);
	}

	private Map<String, PropertySpec> properties(Node node, String where, Map<String, PropertySpec> into) {
		if (isNull(node)) {
			return into;
		}
		Map<String, NodeTuple> declared = entries(mapping(node, "properties of " + where), "properties of " + where);
		for (Map.Entry<String, NodeTuple> entry : declared.entrySet()) {
			String key = entry.getKey();
			Node keyNode = entry.getValue().getKeyNode();
			if (!Sanitizer.isValidKey(key)) {
				throw fail(keyNode, "property \"" + key + "\" of " + where + " is not a snake_case key of at most "
						+ Limits.MAX_KEY_LENGTH + " characters");
			}
			if (RESERVED_KEYS.contains(key)) {
				throw fail(keyNode, "property \"" + key + "\" of " + where
						+ " is set by the gateway for every event and cannot be declared");
			}
			if (into.containsKey(key)) {
				throw fail(keyNode, where + " declares property \"" + key + "\" twice");
			}
			if (IdentifierRules.isStrippedKey(key)) {
				throw fail(keyNode, "property \"" + key + "\" of " + where + " names an identifier (docs/pipeline.md, "
						+ "keys stripped) and is stripped while anonymized; declare counts and outcomes instead");
			}
			into.put(key, property(key, entry.getValue().getValueNode(), where));
		}
		return into;
	}

	private PropertySpec property(String key, Node node, String eventWhere) {
		String where = "property \"" + key + "\" of " + eventWhere;
		Map<String, NodeTuple> fields = entries(mapping(node, where), where);
		allowOnly(fields, PROPERTY_KEYS, where);
		NodeTuple typeTuple = required(fields, "type", node, where);
		String typeName = scalarText(typeTuple.getValueNode(), "type of " + where);
		PropertySpec.Type type = null;
		for (PropertySpec.Type candidate : PropertySpec.Type.values()) {
			if (candidate.yamlName().equals(typeName)) {
				type = candidate;
			}
		}
		if (type == null && typeName.equals("string")) {
			throw fail(typeTuple.getValueNode(),
					"type string of " + where + " could pass free text while "
							+ "anonymized; declare it as type: enum with the values the product sends (values outside "
							+ "the list arrive as \"" + PropertySpec.OTHER + "\" while anonymized)");
		}
		if (type == null) {
			throw fail(typeTuple.getValueNode(), "unknown type \"" + typeName + "\" for " + where
					+ "; expected one of integer, number, boolean, enum");
		}
		boolean numeric = type == PropertySpec.Type.INTEGER || type == PropertySpec.Type.NUMBER;
		onlyFor(fields, "min", numeric, where, "integer or number");
		onlyFor(fields, "max", numeric, where, "integer or number");
		onlyFor(fields, "values", type == PropertySpec.Type.ENUM, where, "enum");
		Double min = fields.containsKey("min") ? number(fields.get("min").getValueNode(), "min of " + where) : null;
		Double max = fields.containsKey("max") ? number(fields.get("max").getValueNode(), "max of " + where) : null;
		if (min != null && max != null && min > max) {
			throw fail(fields.get("max").getValueNode(), "max of " + where + " is smaller than its min");
		}
		List<String> values = new ArrayList<>();
		if (type == PropertySpec.Type.ENUM) {
			NodeTuple valuesTuple = required(fields, "values", node, where);
			List<Node> valueNodes = scalarsOf(valuesTuple.getValueNode(), "values of " + where);
			if (valueNodes.isEmpty()) {
				throw fail(valuesTuple.getValueNode(), "values of " + where + " must not be empty");
			}
			for (Node valueNode : valueNodes) {
				String value = scalarText(valueNode, "values of " + where);
				if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH || !value.equals(Sanitizer.cleanString(value))
						|| !value.equals(value.strip())) {
					throw fail(valueNode, "values of " + where + " must be non-empty strings of at most "
							+ MAX_VALUE_LENGTH + " printable characters without surrounding spaces");
				}
				if (IdentifierRules.holdsIdentifier(value)) {
					throw fail(valueNode, "value \"" + value + "\" of " + where + " looks like an identifier "
							+ "(an email, URL, host, IP address, UUID, token or number) and cannot be part of a "
							+ "vocabulary");
				}
				if (values.contains(value)) {
					throw fail(valueNode, "values of " + where + " lists \"" + value + "\" twice");
				}
				values.add(value);
			}
		}
		return new PropertySpec(key, type, min, max, new LinkedHashSet<>(values));
	}

	private void onlyFor(Map<String, NodeTuple> fields, String field, boolean allowed, String where, String types) {
		if (!allowed && fields.containsKey(field)) {
			throw fail(fields.get(field).getKeyNode(), field + " of " + where + " applies only to type " + types);
		}
	}

	private Double number(Node node, String what) {
		if (node instanceof ScalarNode scalar
				&& (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT))) {
			try {
				double value = Double.parseDouble(scalar.getValue().replace("_", ""));
				if (Double.isFinite(value)) {
					return value;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
		}
		throw fail(node, what + " must be a finite number");
	}

	private MappingNode mapping(Node node, String what) {
		if (node instanceof MappingNode mapping) {
			return mapping;
		}
		throw fail(node, what + " must be a mapping");
	}

	private List<Node> scalarsOf(Node node, String what) {
		if (node instanceof ScalarNode && !isNull(node)) {
			return List.of(node);
		}
		if (node instanceof SequenceNode sequence) {
			return sequence.getValue();
		}
		throw fail(node, what + " must be a list");
	}

	private String scalarText(Node node, String what) {
		if (node instanceof ScalarNode scalar && !isNull(node)) {
			return scalar.getValue();
		}
		throw fail(node, what + " must be a single value");
	}

	private boolean isNull(Node node) {
		return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
	}

	/** The entries of a mapping by key, refusing non-scalar and duplicate keys. */
	private Map<String, NodeTuple> entries(MappingNode mapping, String what) {
		Map<String, NodeTuple> entries = new LinkedHashMap<>();
		for (NodeTuple tuple : mapping.getValue()) {
			String key = scalarText(tuple.getKeyNode(), "a key of " + what);
			NodeTuple earlier = entries.putIfAbsent(key, tuple);
			if (earlier != null) {
				throw fail(tuple.getKeyNode(),
						what + " has \"" + key + "\" twice (first on line " + line(earlier.getKeyNode()) + ")");
			}
		}
		return entries;
	}

	private void allowOnly(Map<String, NodeTuple> entries, Set<String> allowed, String what) {
		for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
			if (!allowed.contains(entry.getKey())) {
				throw fail(entry.getValue().getKeyNode(), "unknown field \"" + entry.getKey() + "\" in " + what
						+ "; expected one of " + String.join(", ", allowed.stream().sorted().toList()));
			}
		}
	}

	private NodeTuple required(Map<String, NodeTuple> entries, String key, Node owner, String what) {
		NodeTuple tuple = entries.get(key);
		if (tuple == null) {
			throw fail(owner, what + " is missing \"" + key + "\"");
		}
		return tuple;
	}

	private TrackingPlanException fail(Node node, String message) {
		return new TrackingPlanException(this.source + " line " + line(node) + ": " + message);
	}

	private static int line(Node node) {
		return node.getStartMark().getLine() + 1;
	}

}
