-- Accounts and their usage-data settings (CONTRACT sections 3 and 4).
CREATE TABLE users (
	id UUID PRIMARY KEY,
	email VARCHAR(320) NOT NULL,
	password_hash VARCHAR(200) NOT NULL,
	name VARCHAR(200),
	onboarded BOOLEAN NOT NULL DEFAULT FALSE,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Emails are unique whatever their case.
CREATE UNIQUE INDEX users_email_ix ON users (lower(email));

-- A missing row means the defaults: anonymized, no screen recording.
CREATE TABLE usage_data_settings (
	user_id UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	anonymized BOOLEAN NOT NULL,
	screen_recording BOOLEAN NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	CONSTRAINT recording_is_never_anonymized CHECK (NOT (anonymized AND screen_recording))
);
