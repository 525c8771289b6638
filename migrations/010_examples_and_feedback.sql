-- Verified examples: question→query pairs per connection, whose questions are embedded (the
-- same model and dimension as chunks) so a question finds the examples most like it. An example
-- whose query stopped passing the guard or EXPLAIN on a re-index carries why in stale_reason and
-- is not used until it is fixed.
CREATE TABLE connection_examples (
    id                  uuid PRIMARY KEY,
    connection_id       uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    question            text NOT NULL CHECK (length(question) BETWEEN 1 AND 2000),
    query               text NOT NULL CHECK (octet_length(query) BETWEEN 1 AND 100000),
    embedding           vector(384) NOT NULL,
    stale_reason        text,
    -- The index version the query was last checked against.
    checked_version     integer NOT NULL DEFAULT 0,
    -- The answered question it was confirmed from (a thumbs-up), if any.
    source_history_id   uuid,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connection_examples_connection_idx ON connection_examples (connection_id, created_at, id);

-- Bumped by every change to a connection's examples: part of the answer cache's key, so an
-- answer cached before an example was added, fixed or deleted is not served after.
ALTER TABLE connections ADD COLUMN examples_revision integer NOT NULL DEFAULT 0;

-- A thumbs up or down on an answer. It keeps its own copy of the question, the query and the
-- answer, so the review list outlives the history entry (history is pruned by age and users
-- delete it); one rating per history entry, the latest kept.
CREATE TABLE answer_feedback (
    id              uuid PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id   uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    history_id      uuid UNIQUE REFERENCES query_history (id) ON DELETE SET NULL,
    rating          text NOT NULL CHECK (rating IN ('up', 'down')),
    comment         text CHECK (length(comment) <= 2000),
    question        text NOT NULL,
    query           text,
    answer          text,
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX answer_feedback_review_idx ON answer_feedback (connection_id, created_at DESC, id) WHERE rating = 'down';

-- A question that found no query is kept in history too, with why, so it can be rated.
ALTER TABLE query_history ADD COLUMN error text;
