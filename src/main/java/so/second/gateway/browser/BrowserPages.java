package so.second.gateway.browser;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the static pages at paths without {@code .html}. The demo page is also served
 * below {@code /demo/w/…}, so it can be opened at an id-bearing URL and show that the
 * browser reports only the route's shape.
 */
@Configuration(proxyBeanMethods = false)
class BrowserPages implements WebMvcConfigurer {

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/settings/usage-data").setViewName("forward:/settings/usage-data.html");
		registry.addViewController("/demo").setViewName("forward:/demo.html");
		registry.addViewController("/demo/w/**").setViewName("forward:/demo.html");
	}

}
