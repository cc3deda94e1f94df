package so.second.gateway.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 4: the tracking plan and the anonymization policy.
 * <p>
 * In both modes a declared property must fit its declared type and bounds or it is
 * dropped, and client values under the release keys are dropped (the server sets them).
 * <p>
 * While anonymized the policy fails closed on both sides of every property. Keys: only
 * the page context and the event's declared properties pass, and each undeclared key is
 * reported. Values: every string is a value its vocabulary lists, or becomes
 * {@link PropertySpec#OTHER "other"} (reported by key, never by value); a vocabulary word
 * that is itself one of the user's identifiers becomes "other" too; {@code route_shape}
 * keeps only the plan's route words and placeholders; numbers that spell the user's id
 * are dropped. While not anonymized, undeclared sanitized properties pass as they are,
 * and declared enums pass any string, so new values show up in identified users' events.
 */
final class PropertyPolicy {

	private final TrackingPlan plan;

	PropertyPolicy(TrackingPlan plan) {
		this.plan = plan;
	}

	/**
	 * What the policy let through.
	 *
	 * @param properties the surviving properties, in their original order
	 * @param droppedUndeclaredKeys top-level keys dropped because the plan does not
	 * declare them
	 * @param unlistedValueKeys keys whose string value the vocabulary does not list and
	 * that were sent as "other"
	 */
	record Result(Map<String, Object> properties, List<String> droppedUndeclaredKeys, List<String> unlistedValueKeys) {
	}

	/**
	 * Applies the plan and, when anonymized, the closed vocabularies.
	 * @param event an allowlisted event name
	 * @param properties sanitized properties with a normalized {@code route_shape}
	 * @param context the request's facts
	 * @param user the user's own identifiers, or {@code null} when not anonymized
	 * @return the surviving properties and what was dropped or replaced
	 */
	Result apply(String event, Map<String, Object> properties, RequestContext context, UserIdentity user) {
		EventSpec spec = this.plan.event(event);
		boolean anonymized = context.anonymized();
		Map<String, Object> kept = new LinkedHashMap<>();
		List<String> undeclared = new ArrayList<>();
		List<String> unlisted = new ArrayList<>();
		for (Map.Entry<String, Object> entry : properties.entrySet()) {
			String key = entry.getKey();
			if (ReleaseStage.KEYS.contains(key)) {
				continue;
			}
			Object value = entry.getValue();
			if (PageContext.KEYS.contains(key)) {
				value = anonymized ? anonymizedPageContext(key, value, user, unlisted) : value;
			}
			else {
				PropertySpec declared = (spec != null) ? spec.property(key) : null;
				if (declared == null) {
					if (anonymized) {
						undeclared.add(key);
						continue;
					}
				}
				else {
					value = declared.conform(value);
					if (anonymized && value != null) {
						value = IdentifierRules.isStrippedKey(key) ? null
								: anonymizedValue(declared, key, value, user, unlisted);
					}
				}
			}
			if (value != null) {
				kept.put(key, value);
			}
		}
		return new Result(kept, undeclared, unlisted);
	}

	/**
	 * A declared value of an anonymized event: a vocabulary word, "other", or a number.
	 */
	private static Object anonymizedValue(PropertySpec declared, String key, Object value, UserIdentity user,
			List<String> unlisted) {
		if (value instanceof String s) {
			return vocabularyValue(declared, key, s, user, unlisted);
		}
		if (value instanceof Number n && user.isNumber(n)) {
			return null;
		}
		return value;
	}

	/**
	 * The page context of an anonymized event: {@code surface} from its vocabulary,
	 * {@code route_shape} restricted to the route words; the viewport is numbers.
	 */
	private Object anonymizedPageContext(String key, Object value, UserIdentity user, List<String> unlisted) {
		return switch (key) {
			case PageContext.SURFACE ->
				(value instanceof String s) ? vocabularyValue(this.plan.surface(), key, s, user, unlisted) : null;
			case PageContext.ROUTE_SHAPE -> (value instanceof String shape)
					? RouteShapes.restrict(shape, this.plan.routeWords(), user::isOwnWord) : null;
			default -> value;
		};
	}

	private static String vocabularyValue(PropertySpec declared, String key, String value, UserIdentity user,
			List<String> unlisted) {
		String kept = declared.vocabularyValue(value);
		if (kept == PropertySpec.OTHER || user.isOwnWord(kept)) {
			unlisted.add(key);
			return PropertySpec.OTHER;
		}
		return kept;
	}

}
