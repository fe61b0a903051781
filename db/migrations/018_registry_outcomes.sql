-- PROVISIONAL (the registry-backend branch owns this file): the contract the pages read.
ALTER TABLE submissions ADD COLUMN registry_counted INTEGER;
CREATE TABLE registry_exceptions (
  id INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  panel_id INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
  patient_id INTEGER REFERENCES patients(id) ON DELETE SET NULL,
  kind TEXT NOT NULL CHECK (kind IN ('mismatch', 'conflict')),
  detail TEXT NOT NULL,
  open_since_submission_id INTEGER NOT NULL REFERENCES submissions(id),
  UNIQUE (submission_id, patient_id, kind)
);
CREATE INDEX registry_exceptions_by_panel ON registry_exceptions(panel_id, submission_id);
