package so.second.gateway.account;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin token filter on its own: without a configured token the admin routes do not
 * exist, and other routes are not its business.
 */
class AdminTokenFilterTests {

	private final AdminTokenFilter unconfigured = new AdminTokenFilter(new AdminProperties(" "), null);

	@Test
	void withoutAConfiguredTokenTheAdminRoutesAnswer404AsIfTheyDidNotExist() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		this.unconfigured.doFilter(new MockHttpServletRequest("GET", "/api/admin/dead-letters"), response, chain);

		assertThat(response.getStatus()).isEqualTo(404);
		assertThat(response.getContentType()).startsWith("application/problem+json");
		assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(chain.getRequest()).as("the route was not reached").isNull();
	}

	@Test
	void otherRoutesPassUntouched() throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		this.unconfigured.doFilter(new MockHttpServletRequest("GET", "/api/me"), response, chain);

		assertThat(chain.getRequest()).isNotNull();
		assertThat(response.getStatus()).isEqualTo(200);
	}

}
