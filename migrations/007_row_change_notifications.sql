-- API processes keep in-process copies of the user and connection rows every request reads;
-- a change to one, by any process, tells them over NOTIFY (sent when the transaction commits).
CREATE FUNCTION askdb_notify_row_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('askdb_row_changes', TG_TABLE_NAME || ':' || OLD.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER users_row_change AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION askdb_notify_row_change();
CREATE TRIGGER connections_row_change AFTER UPDATE OR DELETE ON connections
    FOR EACH ROW EXECUTE FUNCTION askdb_notify_row_change();
