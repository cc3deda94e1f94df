package so.second.gateway.pipeline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

class PipelineArchitectureTests {

	private final JavaClasses pipeline = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("so.second.gateway.pipeline");

	@Test
	void pipelineDependsOnlyOnTheJdkAndSnakeYaml() {
		classes().that()
			.resideInAPackage("so.second.gateway.pipeline..")
			.and()
			.doNotHaveFullyQualifiedName(CapturePipeline.class.getName())
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("so.second.gateway.pipeline..", "java.lang..", "java.util..", "java.time..",
					"java.math..", "java.text..", "java.io..", "java.nio.charset..", "org.yaml.snakeyaml..")
			.check(this.pipeline);
	}

	// Caffeine only for its cache of each user's identifiers: memory, no framework, no
	// I/O.
	@Test
	void capturePipelineAddsOnlyCaffeinesCache() {
		classes().that()
			.haveFullyQualifiedName(CapturePipeline.class.getName())
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("so.second.gateway.pipeline..", "java.lang..", "java.util..", "java.time..",
					"com.github.benmanes.caffeine.cache..")
			.check(this.pipeline);
	}

	@Test
	void onlyTheTrackingPlanAndItsReaderReadAnything() {
		classes().that()
			.resideInAPackage("so.second.gateway.pipeline..")
			.and()
			.doNotHaveSimpleName("TrackingPlan")
			.and()
			.doNotHaveSimpleName("TrackingPlanReader")
			.and()
			.doNotHaveSimpleName("RouteShapes")
			.should()
			.onlyDependOnClassesThat()
			.resideOutsideOfPackages("java.io..", "java.nio.file..", "java.net..")
			.check(this.pipeline);
	}

}
