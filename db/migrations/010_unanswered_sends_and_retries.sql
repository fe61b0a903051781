-- A send Netcare did not answer is Pending with no reference until the poll asks Netcare by its
-- Idempotency-Key; if Netcare never received it, it is sent again with the same key and the
-- same snapshot instant, so the message is the one the first send carried.
ALTER TABLE submissions ADD COLUMN snapshot_at INTEGER;

-- A send that certainly did not reach Netcare is retried by itself at the next send time, up
-- to three times: each retry is a Queued submission pointing at the failed one. (The trigger
-- stays 'scheduled': the portal queued it, no user did.)
ALTER TABLE submissions ADD COLUMN retry_of INTEGER REFERENCES submissions(id);
ALTER TABLE submissions ADD COLUMN automatic_retry INTEGER
  CHECK (automatic_retry IS NULL OR (automatic_retry BETWEEN 1 AND 3 AND retry_of IS NOT NULL));

-- Two more reasons a submission fails: Netcare answered with an error status (apart from not
-- being reachable at all), and the portal's own message check refused the panel before
-- sending. SQLite cannot widen a CHECK in place: the table is rebuilt (nothing references it).
CREATE TABLE submission_problems_new (
  id            INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  reason        TEXT NOT NULL CHECK (reason IN (
                  'name_too_long', 'practitioner_without_id', 'no_patients',
                  'no_last_visit', 'no_confirmation_date',
                  'netcare_rejected', 'netcare_unreachable', 'netcare_unconfirmed',
                  'netcare_error', 'message_check')),
  patient_id    INTEGER REFERENCES patients(id) ON DELETE SET NULL,
  detail        TEXT
);
INSERT INTO submission_problems_new (id, submission_id, reason, patient_id, detail)
  SELECT id, submission_id, reason, patient_id, detail FROM submission_problems;
DROP TABLE submission_problems;
ALTER TABLE submission_problems_new RENAME TO submission_problems;
CREATE INDEX submission_problems_by_submission ON submission_problems(submission_id, reason, patient_id);
