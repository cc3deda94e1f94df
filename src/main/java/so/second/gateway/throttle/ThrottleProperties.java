package so.second.gateway.throttle;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How login, sign-up and the admin token are throttled ({@code second.throttle.*}). Each
 * key (an account, an address, or both) has a number of free attempts; every attempt
 * after them waits a delay that doubles from {@code firstDelay} up to its cap, answered
 * 429 with {@code Retry-After}. A key that saw no attempt for {@code window} starts
 * again.
 *
 * @param window how long a key must stay quiet for its count to be forgotten
 * @param firstDelay the lock after the last free attempt; it doubles with each further
 * one
 * @param maxDelay the longest lock of a key that names an address (only that address
 * waits)
 * @param maxAccountDelay the longest lock of a whole account, kept short because failures
 * from anywhere cause it; addresses the user signed in from recently are exempt from it
 * @param loginAttemptsPerAccountAndAddress free login attempts for one account from one
 * address; a successful login forgets them
 * @param loginAttemptsPerAccount free failed logins for one account from all addresses
 * together
 * @param loginAttemptsPerAddress free failed logins from one address for all accounts
 * together
 * @param signUpsPerAccount free sign-up attempts for one email
 * @param signUpsPerAddress free sign-up attempts from one address
 * @param adminAttemptsPerAddress free admin-token attempts from one address; the right
 * token forgets them
 * @param knownAddressRetention how long a successful login exempts its address from the
 * account-wide lock
 */
@Validated
@ConfigurationProperties("second.throttle")
public record ThrottleProperties(@NotNull @DefaultValue("15m") Duration window,
		@NotNull @DefaultValue("1s") Duration firstDelay, @NotNull @DefaultValue("15m") Duration maxDelay,
		@NotNull @DefaultValue("1m") Duration maxAccountDelay,
		@Min(1) @DefaultValue("5") int loginAttemptsPerAccountAndAddress,
		@Min(1) @DefaultValue("50") int loginAttemptsPerAccount,
		@Min(1) @DefaultValue("100") int loginAttemptsPerAddress, @Min(1) @DefaultValue("5") int signUpsPerAccount,
		@Min(1) @DefaultValue("30") int signUpsPerAddress, @Min(1) @DefaultValue("5") int adminAttemptsPerAddress,
		@NotNull @DefaultValue("30d") Duration knownAddressRetention) {

	/** The free attempts and the longest lock of a scope. */
	Rule rule(Scope scope) {
		return switch (scope) {
			case LOGIN_ACCOUNT_AND_ADDRESS -> new Rule(this.loginAttemptsPerAccountAndAddress, this.maxDelay);
			case LOGIN_ACCOUNT -> new Rule(this.loginAttemptsPerAccount, this.maxAccountDelay);
			case LOGIN_ADDRESS -> new Rule(this.loginAttemptsPerAddress, this.maxDelay);
			case SIGN_UP_ACCOUNT -> new Rule(this.signUpsPerAccount, this.maxAccountDelay);
			case SIGN_UP_ADDRESS -> new Rule(this.signUpsPerAddress, this.maxDelay);
			case ADMIN_ADDRESS -> new Rule(this.adminAttemptsPerAddress, this.maxDelay);
		};
	}

	/**
	 * The lock after the given attempt: none within the free attempts, then
	 * {@code firstDelay} doubling per attempt, up to the scope's cap.
	 */
	Duration lockAfter(Scope scope, int attempts) {
		Rule rule = rule(scope);
		if (attempts < rule.free()) {
			return Duration.ZERO;
		}
		int doublings = Math.min(attempts - rule.free(), 40);
		try {
			long millis = Math.multiplyExact(this.firstDelay.toMillis(), 1L << doublings);
			return (millis > rule.maxDelay().toMillis()) ? rule.maxDelay() : Duration.ofMillis(millis);
		}
		catch (ArithmeticException ex) {
			return rule.maxDelay();
		}
	}

	/**
	 * @param free attempts without delay; @param maxDelay the longest lock
	 */
	record Rule(int free, Duration maxDelay) {
	}

	/** What a key counts. */
	enum Scope {

		LOGIN_ACCOUNT_AND_ADDRESS, LOGIN_ACCOUNT, LOGIN_ADDRESS, SIGN_UP_ACCOUNT, SIGN_UP_ADDRESS, ADMIN_ADDRESS

	}

}
