-- The structured schema each index version was built from: foreign-key expansion, the query
-- guard and the constrained-generation grammar read it, not the document text.
CREATE TABLE schema_snapshots (
    connection_id   uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    version         integer NOT NULL,
    snapshot        jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, version)
);
