package so.second.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseStageTests {

	@Test
	void addsTheFiveReleaseProperties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		ReleaseStage.addTo(properties,
				new ReleaseMetadata("1.4.0", "@second-inc/cli", "node22", "0.9.1", "@second-inc/launcher"));
		assertThat(properties).containsExactly(Map.entry("release_version", "1.4.0"),
				Map.entry("release_package", "@second-inc/cli"), Map.entry("release_runtime", "node22"),
				Map.entry("cli_launcher_version", "0.9.1"), Map.entry("cli_launcher_package", "@second-inc/launcher"));
	}

	@Test
	void unsetReleasePropertiesArePresentAsNull() {
		Map<String, Object> properties = new LinkedHashMap<>();
		ReleaseStage.addTo(properties, ReleaseMetadata.none());
		assertThat(properties).containsOnlyKeys(ReleaseStage.KEYS)
			.allSatisfy((key, value) -> assertThat(value).isNull());
	}

}
