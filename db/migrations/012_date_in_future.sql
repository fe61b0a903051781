-- A birth or confirmation date after the run's day is a rule of its own ('date_in_future'),
-- decided by readiness and the run before the message check could refuse it.

-- 1. submission_problems may record it: SQLite changes a CHECK only by rebuilding the table.
CREATE TABLE submission_problems_new (
  id            INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  reason        TEXT NOT NULL CHECK (reason IN (
                  'name_too_long', 'practitioner_without_id', 'no_patients',
                  'no_last_visit', 'no_confirmation_date', 'date_in_future',
                  'netcare_rejected', 'netcare_unreachable', 'netcare_unconfirmed')),
  patient_id    INTEGER REFERENCES patients(id) ON DELETE SET NULL,
  detail        TEXT
);
INSERT INTO submission_problems_new SELECT id, submission_id, reason, patient_id, detail FROM submission_problems;
DROP TABLE submission_problems;
ALTER TABLE submission_problems_new RENAME TO submission_problems;
CREATE INDEX submission_problems_by_submission ON submission_problems(submission_id, reason, patient_id);

-- 2. Stored readiness facts lack the new count: gather them again. A birth date now matters
-- to readiness, so changing one forgets the patient's panels' facts like a status change does.
DELETE FROM panel_readiness;
DROP TRIGGER readiness_patient_change;
CREATE TRIGGER readiness_patient_change AFTER UPDATE OF status, birth_date ON patients
BEGIN DELETE FROM panel_readiness WHERE panel_id IN (SELECT panel_id FROM panel_members WHERE patient_id = NEW.id); END;
