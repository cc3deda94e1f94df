package so.second.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module arrows of docs/architecture.md: capture is a leaf nobody calls into,
 * delivery knows nothing of the web edge or of users, and the modules form no cycle.
 */
class ModularityTests {

	private final JavaClasses gateway = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("so.second.gateway");

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
	void deliveryKnowsNothingOfAccountsSettingsOrTheWebEdge() {
		noClasses().that()
			.resideInAPackage("so.second.gateway.delivery..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("so.second.gateway.account..", "so.second.gateway.settings..",
					"so.second.gateway.capture..")
			.check(this.gateway);
	}

	@Test
	void operatorSettingsDependOnlyOnThePipeline() {
		noClasses().that()
			.resideInAPackage("so.second.gateway.operator..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("so.second.gateway.account..", "so.second.gateway.settings..",
					"so.second.gateway.capture..", "so.second.gateway.delivery..")
			.check(this.gateway);
	}

	@Test
	void modulesFormNoCycle() {
		slices().matching("so.second.gateway.(*)..").should().beFreeOfCycles().check(this.gateway);
	}

}
