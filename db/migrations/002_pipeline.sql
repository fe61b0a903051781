-- The pipeline's bookkeeping. A worker claims a Queued submission for a lease before it
-- extracts and sends it, so two workers (or two processes) never send the same one; a
-- claim left by a crashed worker expires and the submission is taken again, with the same
-- Idempotency-Key, so Netcare sees it once.
ALTER TABLE submissions ADD COLUMN claimed_by TEXT;
ALTER TABLE submissions ADD COLUMN claimed_until INTEGER;
ALTER TABLE submissions ADD COLUMN last_polled_at INTEGER;
CREATE INDEX submissions_by_run ON submissions(run_id) WHERE run_id IS NOT NULL;
CREATE INDEX scheduled_runs_unfinished ON scheduled_runs(started_at) WHERE finished_at IS NULL;
