-- History is pruned by age (ASKDB_HISTORY_RETENTION_DAYS): find old entries without a scan.
CREATE INDEX query_history_created_idx ON query_history (created_at);
