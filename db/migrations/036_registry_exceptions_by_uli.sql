-- Issue 16: an exception keeps the ULI the registry named; its patient is found when a page
-- reads it (one indexed lookup per row shown) instead of when the poll stores it. A province's
-- poll stores ~97,000 exceptions: finding each one's patient by ULI, and then checking the
-- foreign key to it, were two random page reads a row — 150,000 reads and ~0.65 s of the run's
-- CPU (docs/performance.md, round 12). The ULI is what the registry reported and what the
-- message sent, so nothing is lost: a patient since deleted, or since given another ULI, is
-- found by no row, as a deleted patient was found by none before (patient_id set null).
-- SQLite cannot drop a column with a foreign key: the table is rebuilt with its rows.

-- registry_actions.exception_id points here with ON DELETE SET NULL, and dropping a table
-- deletes its rows first: the links are kept aside and put back (in a table of the same
-- transaction, dropped at its end: sqld runs no TEMP table).
CREATE TABLE registry_action_links AS SELECT id, exception_id FROM registry_actions WHERE exception_id IS NOT NULL;

CREATE TABLE registry_exceptions_new (
  id            INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  panel_id      INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
  -- the member's ULI as the registry named it; null only for a row stored before this
  -- migration whose patient had been deleted (its ULI was not kept)
  uli           TEXT CHECK (uli IS NULL OR (length(uli) = 9 AND uli NOT GLOB '*[^0-9]*')),
  kind          TEXT NOT NULL CHECK (kind IN ('mismatch', 'conflict')),
  -- JSON. mismatch: {"fields":[{"field":"lastName"|"firstName"|"birthDate"|"gender","clinic":…,"registry":…}]}
  -- (genders in the portal's codes F, M, X, U); conflict: {"provider":…,"clinic":…,"confirmedOn":"YYYY-MM-DD"}
  detail        TEXT NOT NULL CHECK (json_valid(detail)),
  -- the first of the run of consecutive outcomes of this panel that reported this exception
  -- (for a conflict: with the same other provider); this submission when it is new
  open_since_submission_id INTEGER NOT NULL REFERENCES submissions(id),
  UNIQUE (submission_id, uli, kind)
);
INSERT INTO registry_exceptions_new (id, submission_id, panel_id, uli, kind, detail, open_since_submission_id)
  SELECT e.id, e.submission_id, e.panel_id, pt.uli, e.kind, e.detail, e.open_since_submission_id
    FROM registry_exceptions e LEFT JOIN patients pt ON pt.id = e.patient_id;
DROP TABLE registry_exceptions;
ALTER TABLE registry_exceptions_new RENAME TO registry_exceptions;
CREATE INDEX registry_exceptions_by_panel ON registry_exceptions(panel_id, submission_id);

UPDATE registry_actions SET exception_id = (SELECT l.exception_id FROM registry_action_links l WHERE l.id = registry_actions.id)
 WHERE id IN (SELECT id FROM registry_action_links);
DROP TABLE registry_action_links;
