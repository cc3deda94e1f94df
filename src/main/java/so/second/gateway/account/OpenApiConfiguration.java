package so.second.gateway.account;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs}. The signed-in {@link Account}
 * parameter is not part of any request, and logout is a security filter rather than a
 * controller, so it is added by hand.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static {
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Account.class);
	}

	@Bean
	OpenAPI gatewayOpenApi() {
		return new OpenAPI().info(new Info().title("Second analytics gateway")
			.description("Same-origin product analytics capture in front of PostHog. Unsafe methods need the "
					+ "XSRF-TOKEN cookie echoed in the X-XSRF-TOKEN header; errors are application/problem+json.")
			.version("1"));
	}

	@Bean
	OpenApiCustomizer logoutRoute() {
		return openApi -> openApi.path("/api/auth/logout",
				new PathItem().post(new Operation().operationId("logout")
					.addTagsItem("account-controller")
					.summary("Ends the session")
					.responses(new ApiResponses().addApiResponse("204", new ApiResponse().description("signed out"))
						.addApiResponse("403", new ApiResponse().description("missing or invalid CSRF token")))));
	}

}
