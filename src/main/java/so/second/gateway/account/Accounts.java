package so.second.gateway.account;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import so.second.gateway.web.ApiProblemException;

/**
 * Signing up, finding and onboarding users.
 */
@Service
public class Accounts {

	static final int MIN_PASSWORD_LENGTH = 8;

	// BCrypt reads at most 72 bytes; a longer password
	// would be silently cut, so it is refused.
	static final int MAX_PASSWORD_BYTES = 72;

	static final int MAX_EMAIL_LENGTH = 320;

	static final int MAX_NAME_LENGTH = 200;

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

	private final AccountRepository repository;

	private final PasswordEncoder passwordEncoder;

	private final ApplicationEventPublisher events;

	private final Cache<UUID, Account> onboardedAccounts = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	Accounts(AccountRepository repository, PasswordEncoder passwordEncoder, ApplicationEventPublisher events) {
		this.repository = repository;
		this.passwordEncoder = passwordEncoder;
		this.events = events;
	}

	/**
	 * The user with this id, if there is one. Every request behind the onboarding check
	 * asks, so onboarded accounts are kept in memory: nothing of such an account can
	 * change any more (the API changes neither email nor name, and onboarding is never
	 * undone), so no instance can hold a stale one. Accounts not yet onboarded are always
	 * read, so finishing onboarding through one instance is seen at once by all.
	 */
	public Optional<Account> find(UUID id) {
		Account onboarded = this.onboardedAccounts.getIfPresent(id);
		if (onboarded != null) {
			return Optional.of(onboarded);
		}
		Optional<Account> account = this.repository.findById(id);
		account.filter(Account::onboarded).ifPresent(found -> this.onboardedAccounts.put(id, found));
		return account;
	}

	Account signUp(String email, String password, String name) {
		requirePrintable("email", email);
		requirePrintable("name", name);
		String trimmedEmail = email == null ? "" : email.trim();
		if (trimmedEmail.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(trimmedEmail).matches()) {
			throw ApiProblemException.badRequest("email must be a valid email address");
		}
		if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
			throw ApiProblemException.badRequest("password must be at least " + MIN_PASSWORD_LENGTH + " characters");
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			throw ApiProblemException.badRequest("password must be at most " + MAX_PASSWORD_BYTES + " bytes");
		}
		String trimmedName = name == null || name.isBlank() ? null : name.trim();
		if (trimmedName != null && trimmedName.length() > MAX_NAME_LENGTH) {
			throw ApiProblemException.badRequest("name must be at most " + MAX_NAME_LENGTH + " characters");
		}
		Account account = new Account(UUID.randomUUID(), trimmedEmail, trimmedName, false);
		if (!this.repository.insert(account, this.passwordEncoder.encode(password))) {
			throw new ApiProblemException(org.springframework.http.HttpStatus.CONFLICT, "email-taken",
					"email is already registered");
		}
		return account;
	}

	/**
	 * Refuses control characters (NUL above all: PostgreSQL cannot store it) and unpaired
	 * surrogates (they cannot be written as UTF-8) in an account field, naming the field.
	 */
	static void requirePrintable(String field, String value) {
		if (value == null) {
			return;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean unpairedSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
					&& i + 1 < value.length() && Character.isLowSurrogate(value.charAt(++i)));
			if (Character.getType(c) == Character.CONTROL || unpairedSurrogate) {
				throw ApiProblemException.badRequest(field + " must not contain control characters");
			}
		}
	}

	@Transactional
	Account completeOnboarding(UUID id) {
		this.repository.markOnboarded(id);
		return this.repository.findById(id).orElseThrow();
	}

	void loggedIn(Account account, boolean globalPrivacyControl) {
		this.events.publishEvent(new UserLoggedIn(account, globalPrivacyControl));
	}

}
