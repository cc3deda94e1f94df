package so.second.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module arrows of {@code docs/architecture.md}, read from its module table: every
 * arrow the code has is in the table and every arrow of the table is in the code, so the
 * document cannot drift from the code. Nothing depends on {@code capture}, and the
 * modules form no cycle.
 */
class ModularityTests {

	private static final String ROOT = "so.second.gateway.";

	/** A row of the module table: {@code | `module` | owns | `a`, `b` (why) |}. */
	private static final Pattern MODULE_ROW = Pattern.compile("^\\| `([a-z]+)` \\|[^|]*\\|([^|]*)\\|\\s*$");

	private static final Pattern MODULE_NAME = Pattern.compile("`([a-z]+)`");

	private final JavaClasses gateway = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("so.second.gateway");

	@Test
	void theCodesArrowsAreExactlyTheArchitectureDocumentsArrows() throws IOException {
		Map<String, Set<String>> documented = documentedArrows();
		Map<String, Set<String>> actual = actualArrows();
		assertThat(documented.keySet()).as("every module has a row in docs/architecture.md")
			.containsAll(actual.keySet());
		Map<String, Set<String>> expected = new TreeMap<>();
		actual.keySet().forEach(module -> expected.put(module, documented.get(module)));
		assertThat(actual).as("arrows of the code against docs/architecture.md").isEqualTo(expected);
	}

	@Test
	void nothingDependsOnCapture() {
		noClasses().that()
			.resideOutsideOfPackage("so.second.gateway.capture..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("so.second.gateway.capture..")
			.check(this.gateway);
	}

	@Test
	void modulesFormNoCycle() {
		slices().matching("so.second.gateway.(*)..").should().beFreeOfCycles().check(this.gateway);
	}

	private static Map<String, Set<String>> documentedArrows() throws IOException {
		Map<String, Set<String>> arrows = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of("docs/architecture.md"))) {
			Matcher row = MODULE_ROW.matcher(line);
			if (row.matches()) {
				Set<String> targets = new TreeSet<>();
				Matcher name = MODULE_NAME.matcher(row.group(2));
				while (name.find()) {
					targets.add(name.group(1));
				}
				arrows.put(row.group(1), targets);
			}
		}
		return arrows;
	}

	private Map<String, Set<String>> actualArrows() {
		Map<String, Set<String>> arrows = new TreeMap<>();
		for (JavaClass type : this.gateway) {
			String from = module(type);
			if (from == null) {
				continue;
			}
			Set<String> targets = arrows.computeIfAbsent(from, module -> new TreeSet<>());
			for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
				String to = module(dependency.getTargetClass());
				if (to != null && !to.equals(from)) {
					targets.add(to);
				}
			}
		}
		return arrows;
	}

	/** The top-level package under {@code so.second.gateway}, or null outside modules. */
	private static String module(JavaClass type) {
		String name = type.getPackageName();
		if (!name.startsWith(ROOT)) {
			return null;
		}
		String rest = name.substring(ROOT.length());
		int dot = rest.indexOf('.');
		return (dot < 0) ? rest : rest.substring(0, dot);
	}

}
