-- Failed sign-in, sign-up and admin-token attempts, counted per key and shared by every
-- instance (issue 12). A key is a scope (login per account and address, login per account,
-- login per address, sign-up per account, sign-up per address, admin token per address) and
-- the SHA-256 of its value, so no email or client address is stored in the clear.
--
-- failures counts attempts since the key's last quiet period: a key that saw no failure for
-- the throttle's window starts again at one. locked_until is when the next attempt is
-- allowed again; NULL while the key is within its free attempts.
CREATE TABLE sign_in_throttle (
	scope VARCHAR(32) NOT NULL,
	key_hash BYTEA NOT NULL,
	failures INTEGER NOT NULL,
	last_failure_at TIMESTAMPTZ NOT NULL,
	locked_until TIMESTAMPTZ,
	PRIMARY KEY (scope, key_hash)
);

-- The clean-up deletes keys that have been quiet for the window and are not locked.
CREATE INDEX sign_in_throttle_last_failure_ix ON sign_in_throttle (last_failure_at);

-- Addresses each account signed in from successfully, recently. A lock of the whole account
-- (many failures from many addresses) does not apply to them, so an attacker spread over many
-- addresses cannot keep the real user out of their own account from where they usually sign in.
CREATE TABLE sign_in_known_address (
	key_hash BYTEA PRIMARY KEY,
	last_login_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX sign_in_known_address_last_login_ix ON sign_in_known_address (last_login_at);
