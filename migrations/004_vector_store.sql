-- Versioned documents for atomic publishing, and full-text search beside the vectors.
--
-- A row is visible at index version V when first_version <= V and (retired_version IS NULL or
-- retired_version > V). An indexing run writes version N = current + 1: new and changed
-- documents get first_version N, changed and vanished ones get retired_version N. Questions keep
-- reading the current version until the run switches connections.index_version to N.

ALTER TABLE chunks DROP CONSTRAINT chunks_connection_id_key_key;
ALTER TABLE chunks RENAME COLUMN index_version TO first_version;
ALTER TABLE chunks ADD COLUMN retired_version integer;
ALTER TABLE chunks ADD CONSTRAINT chunks_key_version_key UNIQUE (connection_id, key, first_version);

-- Identifiers are split on '_' and camelCase, so "InvoiceLine" and "invoice_line" both match "invoice line".
ALTER TABLE chunks ADD COLUMN search_text tsvector GENERATED ALWAYS AS (
    to_tsvector('english'::regconfig,
        replace(regexp_replace(content, '([a-z0-9])([A-Z])', '\1 \2', 'g'), '_', ' '))
) STORED;
-- With the connection in the GIN index (btree_gin, a trusted contrib extension), a text search
-- reads only that connection's matching rows instead of filtering all of its rows.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX chunks_search_text_idx ON chunks USING gin (connection_id, search_text);

-- Exact per-connection vector search scans one connection's rows through this index (see
-- docs/benchmarks.md for why no HNSW index).
CREATE INDEX chunks_connection_idx ON chunks (connection_id, first_version);

-- A 384-float vector is 1.5 kB; with the text beside it a row passes the 2 kB TOAST threshold
-- and PostgreSQL moved the vector out of line, so every distance needed a TOAST fetch (a 20,000
-- document search took 4x longer). Kept inline, the text columns are compressed or moved instead.
ALTER TABLE chunks ALTER COLUMN embedding SET STORAGE PLAIN;
