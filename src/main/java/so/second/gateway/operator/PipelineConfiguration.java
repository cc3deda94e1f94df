package so.second.gateway.operator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	private static final Logger log = LoggerFactory.getLogger(PipelineConfiguration.class);

	@Bean
	TrackingPlan trackingPlan() {
		TrackingPlan plan = TrackingPlan.fromClasspath();
		log.info("Tracking plan version {}: {} events", plan.version(), plan.eventNames().size());
		return plan;
	}

	@Bean
	CapturePipeline capturePipeline(TrackingPlan plan, OperatorSettings operator,
			ObjectProvider<BuildProperties> build) {
		BuildProperties buildProperties = build.getIfAvailable();
		String libVersion = buildProperties != null ? buildProperties.getVersion() : "dev";
		return new CapturePipeline(plan, operator.release(), libVersion);
	}

}
