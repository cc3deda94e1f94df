package so.second.gateway.operator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import so.second.gateway.pipeline.CapturePipeline;
import so.second.gateway.pipeline.TrackingPlan;

/**
 * Builds the one capture pipeline of the deployment: the tracking plan (a broken plan
 * stops start-up with the line at fault), the operator's release metadata and this
 * build's version as {@code $lib_version}.
 */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

	@Bean
	TrackingPlan trackingPlan() {
		return TrackingPlan.fromClasspath();
	}

	@Bean
	CapturePipeline capturePipeline(TrackingPlan plan, OperatorSettings operator,
			ObjectProvider<BuildProperties> build) {
		BuildProperties buildProperties = build.getIfAvailable();
		String libVersion = buildProperties != null ? buildProperties.getVersion() : "dev";
		return new CapturePipeline(plan, operator.release(), libVersion);
	}

}
