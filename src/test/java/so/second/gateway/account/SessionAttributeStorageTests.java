package so.second.gateway.account;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;

import so.second.gateway.support.ApiClient;
import so.second.gateway.support.ApiClient.TestUser;
import so.second.gateway.support.GatewayInstance;
import so.second.gateway.support.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session attributes are stored as JSON, never with Java serialization; a session stored
 * the old way before the deploy still signs its user in.
 */
class SessionAttributeStorageTests {

	private static final String SECURITY_CONTEXT = "SPRING_SECURITY_CONTEXT";

	@Test
	void aSignedInSessionIsStoredAsJsonAndReadByAnotherInstance() throws SQLException {
		String database = TestDatabase.freshDatabase();
		try (GatewayInstance first = GatewayInstance.start(database);
				GatewayInstance second = GatewayInstance.start(database)) {
			ApiClient onFirst = first.newBrowser();
			TestUser user = onFirst.signUpAndOnboard();

			List<byte[]> stored = attributes(database);
			assertThat(stored).isNotEmpty().allSatisfy((bytes) -> {
				assertThat(bytes[0]).isEqualTo((byte) '{');
				assertThat(SessionAttributeConversion.isJavaSerialized(bytes)).isFalse();
			});
			ApiClient onSecond = second.newBrowser();
			onFirst.shareCookiesWith(onSecond);
			assertThat(onSecond.get("/api/me").json()).containsEntry("id", user.id());
		}
	}

	@Test
	void aSessionStoredWithJavaSerializationBeforeTheDeployStillSignsItsUserIn() throws SQLException {
		String database = TestDatabase.freshDatabase();
		try (GatewayInstance before = GatewayInstance.start(database)) {
			ApiClient browser = before.newBrowser();
			TestUser user = browser.signUpAndOnboard();
			UserDetails principal = User.withUsername(user.id()).password("").roles("USER").build();
			SecurityContextImpl legacy = new SecurityContextImpl(
					UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities()));
			replaceSecurityContext(database, new SerializingConverter().convert(legacy));

			// an instance that never saw this session reads it from PostgreSQL
			try (GatewayInstance after = GatewayInstance.start(database)) {
				ApiClient sameBrowser = after.newBrowser();
				browser.shareCookiesWith(sameBrowser);
				assertThat(sameBrowser.get("/api/me").json()).containsEntry("id", user.id());
			}
			assertThat(attributes(database)).allMatch(SessionAttributeConversion::isJavaSerialized);
		}
	}

	private static List<byte[]> attributes(String database) throws SQLException {
		try (Connection connection = connect(database);
				PreparedStatement statement = connection.prepareStatement(
						"SELECT ATTRIBUTE_BYTES FROM SPRING_SESSION_ATTRIBUTES WHERE ATTRIBUTE_NAME = ?")) {
			statement.setString(1, SECURITY_CONTEXT);
			List<byte[]> values = new ArrayList<>();
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					values.add(rows.getBytes(1));
				}
			}
			return values;
		}
	}

	private static void replaceSecurityContext(String database, byte[] bytes) throws SQLException {
		try (Connection connection = connect(database);
				PreparedStatement statement = connection.prepareStatement(
						"UPDATE SPRING_SESSION_ATTRIBUTES SET ATTRIBUTE_BYTES = ? WHERE ATTRIBUTE_NAME = ?")) {
			statement.setBytes(1, bytes);
			statement.setString(2, SECURITY_CONTEXT);
			assertThat(statement.executeUpdate()).isEqualTo(1);
		}
	}

	private static Connection connect(String database) throws SQLException {
		return DriverManager.getConnection(database, TestDatabase.username(), TestDatabase.password());
	}

}
