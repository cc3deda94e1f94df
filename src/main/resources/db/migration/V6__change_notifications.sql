-- Every instance keeps sessions and usage-data settings in memory (ChangeNotifications). These
-- triggers tell all of them when a row they may hold changes, in the transaction of the change, so
-- the notification is delivered exactly when the change commits, whoever made it: a logout, a
-- rotated session id, Spring Session's clean-up of expired sessions, a settings change, or an
-- operator's SQL.

CREATE FUNCTION notify_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('gateway_sessions', OLD.SESSION_ID);
	RETURN NULL;
END;
$$;

-- A last-access write (every minute per session at most) changes nothing a cache relies on.
CREATE TRIGGER spring_session_changed
	AFTER UPDATE ON SPRING_SESSION
	FOR EACH ROW
	WHEN (OLD.SESSION_ID IS DISTINCT FROM NEW.SESSION_ID
		OR OLD.MAX_INACTIVE_INTERVAL IS DISTINCT FROM NEW.MAX_INACTIVE_INTERVAL
		OR OLD.PRINCIPAL_NAME IS DISTINCT FROM NEW.PRINCIPAL_NAME)
	EXECUTE FUNCTION notify_session_changed();

CREATE TRIGGER spring_session_deleted
	AFTER DELETE ON SPRING_SESSION
	FOR EACH ROW
	EXECUTE FUNCTION notify_session_changed();

CREATE FUNCTION notify_session_attribute_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- a cascade from a deleted session finds no row here; the session's own trigger told
	PERFORM pg_notify('gateway_sessions', SESSION_ID)
	FROM SPRING_SESSION
	WHERE PRIMARY_ID = COALESCE(NEW.SESSION_PRIMARY_ID, OLD.SESSION_PRIMARY_ID);
	RETURN NULL;
END;
$$;

CREATE TRIGGER spring_session_attribute_changed
	AFTER INSERT OR UPDATE OR DELETE ON SPRING_SESSION_ATTRIBUTES
	FOR EACH ROW
	EXECUTE FUNCTION notify_session_attribute_changed();

CREATE FUNCTION notify_usage_data_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		PERFORM pg_notify('gateway_settings', OLD.user_id::text);
	ELSE
		PERFORM pg_notify('gateway_settings', NEW.user_id::text);
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER usage_data_settings_changed
	AFTER INSERT OR UPDATE OR DELETE ON usage_data_settings
	FOR EACH ROW
	EXECUTE FUNCTION notify_usage_data_settings_changed();
