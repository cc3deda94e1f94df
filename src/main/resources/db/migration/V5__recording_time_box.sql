-- When screen recording was last turned on, so an operator's SECOND_RECORDING_MAX_DURATION can
-- end it. NULL while recording is off. (V5, not V4: V4 is taken by login throttling.)
ALTER TABLE usage_data_settings ADD COLUMN screen_recording_since TIMESTAMPTZ;

-- Recordings already running count from now, so a time box set later does not end them at once.
UPDATE usage_data_settings SET screen_recording_since = now() WHERE screen_recording;

ALTER TABLE usage_data_settings ADD CONSTRAINT recording_has_a_start
	CHECK (NOT screen_recording OR screen_recording_since IS NOT NULL);
