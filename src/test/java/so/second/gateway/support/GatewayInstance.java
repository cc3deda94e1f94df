package so.second.gateway.support;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import so.second.gateway.GatewayApplication;

/**
 * A whole gateway started in this JVM on a random port against a given database, so tests
 * can run several instances side by side, or stop one and start it again.
 */
public final class GatewayInstance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private GatewayInstance(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts a gateway.
	 * @param databaseUrl the JDBC URL of the database it shares
	 * @param extraArgs further {@code --name=value} arguments
	 */
	public static GatewayInstance start(String databaseUrl, String... extraArgs) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--spring.datasource.url=" + databaseUrl, "--spring.datasource.username=" + TestDatabase.username(),
				"--spring.datasource.password=" + TestDatabase.password()));
		args.addAll(List.of(extraArgs));
		return new GatewayInstance(new SpringApplication(GatewayApplication.class).run(args.toArray(String[]::new)));
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	/** The port of the operator's endpoints ({@code /actuator/...}). */
	public int managementPort() {
		return Integer.parseInt(this.context.getEnvironment().getRequiredProperty("local.management.port"));
	}

	/** A client of the operator's endpoints, on the management port. */
	public ApiClient newOperator() {
		return ApiClient.forPort(managementPort());
	}

	public ApiClient newBrowser() {
		return ApiClient.forPort(port());
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** Whether the wiring made a bean of this type. */
	public boolean has(Class<?> type) {
		return this.context.getBeanNamesForType(type).length > 0;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
