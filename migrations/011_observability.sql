-- Observability (issue 23), expand-only.
--
-- Tokens a question's answer cost, as the model's server reported them (NULL: not reported, or
-- served from the answer cache), shown in the history.
ALTER TABLE query_history ADD COLUMN prompt_tokens integer;
ALTER TABLE query_history ADD COLUMN completion_tokens integer;

-- Scheduled re-indexing: a connection with an interval is re-indexed by the one scheduler among
-- the indexers (the holder of an advisory lock) once next_reindex_at has passed; each run moves
-- it on by the interval plus up to a tenth of it in jitter.
ALTER TABLE connections ADD COLUMN reindex_interval_seconds integer
    CHECK (reindex_interval_seconds BETWEEN 300 AND 31536000);
ALTER TABLE connections ADD COLUMN next_reindex_at timestamptz;
CREATE INDEX connections_next_reindex_idx ON connections (next_reindex_at) WHERE next_reindex_at IS NOT NULL;
