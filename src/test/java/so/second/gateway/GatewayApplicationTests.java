package so.second.gateway;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class GatewayApplicationTests {

	@Autowired
	JdbcClient jdbc;

	@Test
	void startsAgainstTheTestDatabaseWithEveryMigrationApplied() {
		Integer failed = this.jdbc.sql("select count(*) from flyway_schema_history where not success")
			.query(Integer.class)
			.single();
		assertThat(failed).isZero();
		assertThat(this.jdbc.sql("select to_regclass('spring_session') is not null").query(Boolean.class).single())
			.isTrue();
	}

}
