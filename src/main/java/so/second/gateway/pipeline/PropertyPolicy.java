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
 * While anonymized the policy fails closed: only the page context and the event's
 * declared properties pass, each undeclared key is reported, and the
 * {@link IdentifierRules} apply on top. While not anonymized, undeclared sanitized
 * properties pass as they are.
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
	 */
	record Result(Map<String, Object> properties, List<String> droppedUndeclaredKeys) {
	}

	/**
	 * Applies the plan and, when anonymized, the identifier rules.
	 * @param event an allowlisted event name
	 * @param properties sanitized properties with a normalized {@code route_shape}
	 * @param context the request's facts
	 * @return the surviving properties and the undeclared keys that were dropped
	 */
	Result apply(String event, Map<String, Object> properties, RequestContext context) {
		EventSpec spec = this.plan.event(event);
		boolean anonymized = context.anonymized();
		UserIdentity user = anonymized ? UserIdentity.of(context) : null;
		Map<String, Object> kept = new LinkedHashMap<>();
		List<String> undeclared = new ArrayList<>();
		for (Map.Entry<String, Object> entry : properties.entrySet()) {
			String key = entry.getKey();
			if (ReleaseProperties.KEYS.contains(key)) {
				continue;
			}
			boolean pageContext = PageContext.KEYS.contains(key);
			PropertySpec declared = (spec != null) ? spec.property(key) : null;
			Object value = entry.getValue();
			if (!pageContext && declared != null) {
				value = declared.conform(value);
				if (value == null) {
					continue;
				}
			}
			else if (!pageContext && anonymized) {
				undeclared.add(key);
				continue;
			}
			if (anonymized) {
				if (!pageContext && IdentifierRules.isStrippedKey(key)) {
					continue;
				}
				value = IdentifierRules.scrub(value, user);
				if (value == IdentifierRules.DROP) {
					continue;
				}
			}
			kept.put(key, value);
		}
		return new Result(kept, undeclared);
	}

}
