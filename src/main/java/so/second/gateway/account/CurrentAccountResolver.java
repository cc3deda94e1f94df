package so.second.gateway.account;

import java.util.UUID;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import so.second.gateway.web.ApiProblemException;

/**
 * Lets any controller take the signed-in {@link Account} as a parameter: the one the
 * onboarding check already loaded for this request, or read now.
 */
@Configuration(proxyBeanMethods = false)
class CurrentAccountResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

	private final Accounts accounts;

	CurrentAccountResolver(Accounts accounts) {
		this.accounts = accounts;
	}

	@Override
	public void addArgumentResolvers(java.util.List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this);
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType().equals(Account.class);
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
			NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
		Object loaded = webRequest.getAttribute(SecurityConfiguration.CURRENT_ACCOUNT_ATTRIBUTE,
				RequestAttributes.SCOPE_REQUEST);
		if (loaded instanceof Account account) {
			return account;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return this.accounts.find(UUID.fromString(authentication.getName()))
			.orElseThrow(() -> new ApiProblemException(HttpStatus.UNAUTHORIZED, "authentication-required",
					"authentication required: the signed-in account no longer exists"));
	}

}
