package so.second.gateway.web;

import java.time.Duration;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.http11.AbstractHttp11Protocol;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * What the connector does on its own: its error answers are problem JSON
 * ({@link ProblemErrorReportValve}) and a request body that stalls is cut off. Tomcat
 * reads request lines and headers without a thread (NIO), with
 * {@code server.tomcat.connection-timeout} between bytes; reading a body blocks a request
 * thread, so it gets its own timeout between bytes
 * ({@code second.http.body-read-timeout}; Tomcat's {@code disableUploadTimeout} is off).
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorsAndBodyTimeout(
			@Value("${second.http.body-read-timeout:10s}") Duration bodyReadTimeout) {
		return new OrderedTomcatCustomizer() {

			@Override
			public void customize(TomcatServletWebServerFactory factory) {
				factory.addContextCustomizers(context -> {
					if (context.getParent() instanceof StandardHost host) {
						// Boot adds a plain ErrorReportValve (no report, no server info);
						// ours replaces it, and the host adds no other.
						for (Valve valve : host.getPipeline().getValves()) {
							if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
								host.getPipeline().removeValve(valve);
							}
						}
						host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
						host.getPipeline().addValve(new ProblemErrorReportValve());
					}
				});
				factory.addConnectorCustomizers(connector -> {
					if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
						http.setDisableUploadTimeout(false);
						http.setConnectionUploadTimeout(Math.toIntExact(bodyReadTimeout.toMillis()));
					}
				});
			}

			@Override
			public int getOrder() {
				// after Boot's own customizer, which adds the plain valve
				return Ordered.LOWEST_PRECEDENCE;
			}

		};
	}

	/** A customizer that says when it runs. */
	private abstract static class OrderedTomcatCustomizer
			implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	}

}
