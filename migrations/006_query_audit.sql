-- Every query run against a user's database, kept even when the user deletes their history or
-- the connection: no foreign keys that cascade, and the application never updates or deletes.
CREATE TABLE query_audit (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         uuid NOT NULL,
    connection_id   uuid NOT NULL,
    query           text NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('ok', 'error')),
    row_count       integer,
    error           text,
    executed_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX query_audit_connection_idx ON query_audit (connection_id, executed_at DESC);

CREATE FUNCTION query_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'query_audit is append-only';
END $$;
CREATE TRIGGER query_audit_append_only BEFORE UPDATE OR DELETE ON query_audit
    FOR EACH ROW EXECUTE FUNCTION query_audit_append_only();

ALTER TABLE query_history ADD COLUMN result jsonb;
