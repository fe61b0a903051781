-- The Submissions page sorted by status walks an index instead of sorting every panel: each
-- panel keeps the rank of its latest submission's status, as the database changes it.
-- Rank: Failed 0, never submitted 1, Queued 2, Pending 3, Submitted 4 (the panels that need
-- someone come first).
ALTER TABLE panels ADD COLUMN status_rank INTEGER NOT NULL DEFAULT 1;
UPDATE panels SET status_rank = coalesce((
  SELECT CASE status WHEN 'Failed' THEN 0 WHEN 'Queued' THEN 2 WHEN 'Pending' THEN 3 WHEN 'Submitted' THEN 4 END
    FROM submissions WHERE id = panels.last_submission_id), 1);

CREATE TRIGGER panels_status_rank_latest AFTER UPDATE OF last_submission_id ON panels
BEGIN
  UPDATE panels SET status_rank = coalesce((
    SELECT CASE status WHEN 'Failed' THEN 0 WHEN 'Queued' THEN 2 WHEN 'Pending' THEN 3 WHEN 'Submitted' THEN 4 END
      FROM submissions WHERE id = NEW.last_submission_id), 1)
   WHERE id = NEW.id;
END;

CREATE TRIGGER panels_status_rank_change AFTER UPDATE OF status ON submissions
BEGIN
  UPDATE panels SET status_rank = CASE NEW.status WHEN 'Failed' THEN 0 WHEN 'Queued' THEN 2 WHEN 'Pending' THEN 3 WHEN 'Submitted' THEN 4 END
   WHERE id = NEW.panel_id AND last_submission_id = NEW.id;
END;

CREATE INDEX panels_cpar_by_status ON panels(status_rank, name COLLATE NOCASE) WHERE active = 1 AND cpar_enabled = 1;
