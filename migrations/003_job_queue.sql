-- The job queue's authoritative records: cancellation requests, retry times, the running worker.

ALTER TABLE jobs
    ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false,
    ADD COLUMN run_after timestamptz,
    ADD COLUMN worker text;

-- The reconciler looks for active jobs that Redis may have lost.
CREATE INDEX jobs_active_updated_idx ON jobs (updated_at) WHERE state IN ('queued', 'running');
