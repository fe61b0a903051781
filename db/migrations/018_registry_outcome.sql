-- The registry's answer to a Submitted submission (issue 14): how many patients it counted
-- (null until an outcome is stored, and for submissions confirmed before the registry
-- answered), and one row per exception — a demographic mismatch or a conflict with another
-- provider's panel. Written in the same commit that makes the submission Submitted.
ALTER TABLE submissions ADD COLUMN registry_counted INTEGER CHECK (registry_counted IS NULL OR registry_counted >= 0);

CREATE TABLE registry_exceptions (
  id            INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  panel_id      INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
  -- null once the patient is deleted; the registry's report of them stays
  patient_id    INTEGER REFERENCES patients(id) ON DELETE SET NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('mismatch', 'conflict')),
  -- JSON. mismatch: {"fields":[{"field":"lastName"|"firstName"|"birthDate"|"gender","clinic":…,"registry":…}]}
  -- (genders in the portal's codes F, M, X, U); conflict: {"provider":…,"clinic":…,"confirmedOn":"YYYY-MM-DD"}
  detail        TEXT NOT NULL CHECK (json_valid(detail)),
  -- the first of the run of consecutive outcomes of this panel that reported this exception
  -- (for a conflict: with the same other provider); this submission when it is new
  open_since_submission_id INTEGER NOT NULL REFERENCES submissions(id),
  UNIQUE (submission_id, patient_id, kind)
);
CREATE INDEX registry_exceptions_by_panel ON registry_exceptions(panel_id, submission_id);
