package so.second.gateway.account;

import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code users} table.
 */
@Repository
class AccountRepository {

	private static final String INSERT_USER_QUERY = """
			INSERT INTO users (id, email, password_hash, name) VALUES (:id, :email, :passwordHash, :name)
			""";

	private static final String SELECT_USER_BY_ID_QUERY = """
			SELECT id, email, name, onboarded FROM users WHERE id = :id
			""";

	private static final String SELECT_CREDENTIALS_BY_EMAIL_QUERY = """
			SELECT id, password_hash FROM users WHERE lower(email) = lower(:email)
			""";

	private static final String UPDATE_ONBOARDED_QUERY = """
			UPDATE users SET onboarded = TRUE WHERE id = :id
			""";

	private final JdbcClient jdbc;

	AccountRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Inserts a new user.
	 * @return {@code false} when the email is taken
	 */
	boolean insert(Account account, String passwordHash) {
		try {
			this.jdbc.sql(INSERT_USER_QUERY)
				.param("id", account.id())
				.param("email", account.email())
				.param("passwordHash", passwordHash)
				.param("name", account.name())
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	Optional<Account> findById(UUID id) {
		return this.jdbc.sql(SELECT_USER_BY_ID_QUERY)
			.param("id", id)
			.query((rs, row) -> new Account(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name"),
					rs.getBoolean("onboarded")))
			.optional();
	}

	Optional<Credentials> findCredentialsByEmail(String email) {
		return this.jdbc.sql(SELECT_CREDENTIALS_BY_EMAIL_QUERY)
			.param("email", email)
			.query((rs, row) -> new Credentials(rs.getObject("id", UUID.class), rs.getString("password_hash")))
			.optional();
	}

	void markOnboarded(UUID id) {
		this.jdbc.sql(UPDATE_ONBOARDED_QUERY).param("id", id).update();
	}

	record Credentials(UUID id, String passwordHash) {
	}

}
