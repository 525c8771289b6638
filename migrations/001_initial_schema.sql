-- The app database's first schema: accounts, connections, indexed chunks, jobs, history.
-- Later issues add columns and tables in new files; never edit an applied migration.

CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Normalised (trimmed, lower-cased) by the application before it gets here.
    email           text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
    password_hash   text NOT NULL,
    role            text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    -- Bumped by logout-everywhere and password changes; tokens carry the version they were issued at.
    token_version   integer NOT NULL DEFAULT 0,
    settings        jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE connections (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind            text NOT NULL CHECK (kind IN ('postgres', 'mongodb')),
    -- The URL with its password, AES-GCM sealed; key_id names the key that sealed it.
    url_ciphertext  bytea NOT NULL,
    key_id          text NOT NULL,
    url_redacted    text NOT NULL,
    options         jsonb NOT NULL DEFAULT '{}',
    -- The index questions read; a finished indexing run switches it atomically.
    index_version   integer NOT NULL DEFAULT 0,
    indexed_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, name)
);
CREATE INDEX connections_owner_idx ON connections (owner_id);

CREATE TABLE chunks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id   uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    key             text NOT NULL,
    index_version   integer NOT NULL,
    content         text NOT NULL,
    content_hash    text NOT NULL,
    metadata        jsonb NOT NULL DEFAULT '{}',
    embedding       vector(384) NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (connection_id, key)
);
-- Search is always per connection; the vector index is chosen by measurement (embeddings issue).

CREATE TABLE jobs (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind            text NOT NULL,
    connection_id   uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    owner_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state           text NOT NULL DEFAULT 'queued'
                    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'dead')),
    attempts        integer NOT NULL DEFAULT 0,
    max_attempts    integer NOT NULL DEFAULT 5,
    progress        jsonb NOT NULL DEFAULT '{}',
    -- Fencing token of the lease under which the latest run writes; older runs' writes are refused.
    lease_token     bigint NOT NULL DEFAULT 0,
    last_error      text,
    result          jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- At most one active indexing job per connection, enforced by the database itself.
CREATE UNIQUE INDEX jobs_one_active_per_connection
    ON jobs (connection_id) WHERE state IN ('queued', 'running') AND kind = 'index_connection';
CREATE INDEX jobs_connection_created_idx ON jobs (connection_id, created_at DESC);
CREATE INDEX jobs_state_idx ON jobs (state, created_at DESC);

CREATE TABLE query_history (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id   uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    conversation_id uuid,
    question        text NOT NULL,
    query           text,
    answer          text,
    row_count       integer,
    model           text,
    timings         jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX query_history_owner_idx ON query_history (user_id, connection_id, created_at DESC);
