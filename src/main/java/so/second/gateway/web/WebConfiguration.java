package so.second.gateway.web;

import tools.jackson.core.StreamReadFeature;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's request limits, in one place: the body limit and JSON parsing every route
 * shares.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiBodyProperties.class)
class WebConfiguration {

	/**
	 * Every JSON body Spring MVC binds refuses a repeated key: with the last one winning,
	 * {@code {"anonymized": true, "anonymized": false}} would switch a privacy setting on
	 * input that says both.
	 */
	@Bean
	JsonMapperBuilderCustomizer strictDuplicateDetection() {
		return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
	}

	/** After Spring Security (order -100): what it refuses is never read. */
	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ApiBodyProperties properties) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(Math.toIntExact(properties.maxBodySize().toBytes())));
		registration.setOrder(0);
		return registration;
	}

}
