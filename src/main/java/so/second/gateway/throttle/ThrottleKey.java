package so.second.gateway.throttle;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import so.second.gateway.throttle.ThrottleProperties.Scope;

/**
 * One thing attempts are counted against: a scope and the SHA-256 of its value, so the
 * table holds no email or address in the clear.
 *
 * @param scope what the key counts
 * @param hash the SHA-256 of the normalized value
 */
record ThrottleKey(Scope scope, byte[] hash) {

	static ThrottleKey account(Scope scope, String email) {
		return new ThrottleKey(scope, sha256(normalizedEmail(email)));
	}

	static ThrottleKey address(Scope scope, String address) {
		return new ThrottleKey(scope, sha256(normalizedAddress(address)));
	}

	static ThrottleKey accountAndAddress(Scope scope, String email, String address) {
		return new ThrottleKey(scope, accountAndAddressHash(email, address));
	}

	static byte[] accountAndAddressHash(String email, String address) {
		return sha256(normalizedEmail(email) + "\n" + normalizedAddress(address));
	}

	/** A stable order of keys. */
	String id() {
		return this.scope.name() + ":" + HexFormat.of().formatHex(this.hash);
	}

	/** Emails are one account whatever their case, as at sign-up. */
	static String normalizedEmail(String email) {
		return (email == null) ? "" : email.trim().toLowerCase(Locale.ROOT);
	}

	/**
	 * An IPv4 address as it is; an IPv6 address as its /64 prefix, since one subscriber
	 * usually holds a whole /64 and could otherwise count as 2^64 addresses.
	 */
	static String normalizedAddress(String address) {
		if (address == null || address.isEmpty()) {
			return "";
		}
		if (address.indexOf(':') < 0) {
			return address;
		}
		try {
			// A literal: no name lookup happens.
			byte[] bytes = InetAddress.getByName(address).getAddress();
			if (bytes.length == 16) {
				return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
			}
			return address;
		}
		catch (UnknownHostException | SecurityException ex) {
			return address;
		}
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JVM", ex);
		}
	}

}
