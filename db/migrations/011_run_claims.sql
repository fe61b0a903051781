-- A run is claimed like a submission: its worker renews claimed_until with a heartbeat, so
-- a survivor takes over within a minute of a crash instead of waiting for a long lease.
ALTER TABLE scheduled_runs ADD COLUMN claimed_by TEXT;
ALTER TABLE scheduled_runs ADD COLUMN claimed_until INTEGER;
-- A monthly run that never happened before the next one was due: recorded, never done.
ALTER TABLE scheduled_runs ADD COLUMN missed INTEGER NOT NULL DEFAULT 0 CHECK (missed IN (0, 1));
UPDATE scheduled_runs SET claimed_until = started_at + 300000 WHERE finished_at IS NULL;
DROP INDEX scheduled_runs_unfinished;
CREATE INDEX scheduled_runs_unfinished ON scheduled_runs(claimed_until) WHERE finished_at IS NULL;
-- Administrators hear of a late or missed monthly run: one message per run and administrator.
ALTER TABLE inbox_messages ADD COLUMN run_id INTEGER REFERENCES scheduled_runs(id);
CREATE UNIQUE INDEX inbox_one_per_run ON inbox_messages(run_id, recipient_id) WHERE run_id IS NOT NULL;
-- submissions.snapshot_at (migration 010) is fixed when a submission is first claimed: a
-- send repeated after a crash builds the same message, so Netcare takes it as the same one.
-- When the portal first did scheduler work: monthly runs from before it are not owed (nor
-- missed). An installation that has done runs has been in service since its first one.
ALTER TABLE installation ADD COLUMN in_service_since INTEGER;
UPDATE installation SET in_service_since = (SELECT min(scheduled_for) FROM scheduled_runs);
