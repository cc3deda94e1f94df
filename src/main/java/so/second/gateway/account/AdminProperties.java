package so.second.gateway.account;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator's admin access, from {@code SECOND_ADMIN_TOKEN}.
 *
 * @param token the bearer token of the admin routes; blank or unset, those routes answer
 * 404 as if they did not exist
 */
@ConfigurationProperties("second.admin")
public record AdminProperties(String token) {

	boolean enabled() {
		return this.token != null && !this.token.isBlank();
	}

}
