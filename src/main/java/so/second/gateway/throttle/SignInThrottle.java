package so.second.gateway.throttle;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpStatus;

import so.second.gateway.throttle.ThrottleProperties.Scope;
import so.second.gateway.web.ApiProblemException;
import so.second.gateway.web.Problems;

/**
 * Throttles the guessable secrets of the gateway: passwords at login, emails at sign-up
 * (a 409 tells whether one is registered), and the operator's admin token. Every attempt
 * is counted before the secret is checked; past a key's free attempts each further one
 * waits a doubling delay, answered 429 with {@code Retry-After}. Refused attempts are not
 * counted, and the secret is not checked for them, so a 429 tells nothing about the
 * secret.
 * <p>
 * Why an attacker cannot keep a real user out for long: the tight bound is per account
 * <em>and</em> address, so guessing from the attacker's address locks only that address.
 * The account-wide bound (many failures from many addresses) is looser, its lock is short
 * ({@code max-account-delay}), and it does not apply at all to an address the user signed
 * in from successfully within {@code known-address-retention}. The per-address bound
 * stops one address trying many accounts.
 */
public class SignInThrottle {

	private final ThrottleStore store;

	private final ThrottleProperties properties;

	private final Clock clock;

	SignInThrottle(ThrottleStore store, ThrottleProperties properties, Clock clock) {
		this.store = store;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Counts a login attempt before the password is checked.
	 * @param email the email as the client sent it
	 * @param address the client's address (Tomcat's, after trusted-proxy rules)
	 * @throws ApiProblemException 429 with {@code Retry-After} while a key is locked
	 */
	public void beforeLogin(String email, String address) {
		List<ThrottleKey> keys = new ArrayList<>(3);
		keys.add(ThrottleKey.accountAndAddress(Scope.LOGIN_ACCOUNT_AND_ADDRESS, email, address));
		keys.add(ThrottleKey.address(Scope.LOGIN_ADDRESS, address));
		if (!this.store.isKnownAddress(ThrottleKey.accountAndAddressHash(email, address), this.clock.instant())) {
			keys.add(ThrottleKey.account(Scope.LOGIN_ACCOUNT, email));
		}
		refuseWhileLocked(this.store.attempt(keys, this.clock.instant()),
				"too many failed logins for this account: retry after the Retry-After delay");
	}

	/**
	 * The password was right: the attempts of this account from this address are
	 * forgotten, this one is taken back from the wider counts, and the address becomes
	 * known for the account.
	 */
	public void loginSucceeded(String email, String address) {
		this.store.forget(ThrottleKey.accountAndAddress(Scope.LOGIN_ACCOUNT_AND_ADDRESS, email, address));
		this.store.undoAttempt(ThrottleKey.address(Scope.LOGIN_ADDRESS, address), this.clock.instant());
		this.store.undoAttempt(ThrottleKey.account(Scope.LOGIN_ACCOUNT, email), this.clock.instant());
		this.store.rememberKnownAddress(ThrottleKey.accountAndAddressHash(email, address), this.clock.instant());
	}

	/**
	 * Counts a sign-up attempt, whatever its outcome: every one tells whether an email is
	 * registered, and creates an account when it is not.
	 * @throws ApiProblemException 429 with {@code Retry-After} while a key is locked
	 */
	public void beforeSignUp(String email, String address) {
		refuseWhileLocked(
				this.store.attempt(List.of(ThrottleKey.account(Scope.SIGN_UP_ACCOUNT, email),
						ThrottleKey.address(Scope.SIGN_UP_ADDRESS, address)), this.clock.instant()),
				"too many sign-up attempts: retry after the Retry-After delay");
	}

	/**
	 * Counts an admin-token attempt before the token is checked.
	 * @throws ApiProblemException 429 with {@code Retry-After} while the address is
	 * locked
	 */
	public void beforeAdminToken(String address) {
		refuseWhileLocked(
				this.store.attempt(List.of(ThrottleKey.address(Scope.ADMIN_ADDRESS, address)), this.clock.instant()),
				"too many wrong admin tokens from this address: retry after the Retry-After delay");
	}

	/** The admin token was right: this address's attempts are forgotten. */
	public void adminTokenAccepted(String address) {
		this.store.forget(ThrottleKey.address(Scope.ADMIN_ADDRESS, address));
	}

	/** Deletes counts that no longer throttle anything. */
	void deleteExpired() {
		this.store.deleteExpired(this.clock.instant());
	}

	ThrottleProperties properties() {
		return this.properties;
	}

	private static void refuseWhileLocked(Optional<Duration> wait, String detail) {
		if (wait.isPresent()) {
			throw new ApiProblemException(Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-attempts", detail),
					wait.get());
		}
	}

}
