-- A CSV panel list, once mapped, waits for Apply as the extract it translates into together
-- with where each record came from (lines, and the mapping's columns), so that the preview's
-- warnings and an Apply's problems point at the CSV's lines and columns: format 'csv'.
-- SQLite cannot change a CHECK constraint: the table is rebuilt with its rows.
CREATE TABLE import_previews_new (
  id          INTEGER PRIMARY KEY,
  token       TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  file_name   TEXT NOT NULL,
  content     TEXT,
  created_at  INTEGER NOT NULL,
  applied_at  INTEGER,
  cancelled_at INTEGER,
  -- what the apply did, as counts (JSON)
  outcome     TEXT,
  format      TEXT NOT NULL DEFAULT 'extract' CHECK (format IN ('extract', 'fhir', 'csv'))
);
INSERT INTO import_previews_new (id, token, user_id, file_name, content, created_at, applied_at, cancelled_at, outcome, format)
  SELECT id, token, user_id, file_name, content, created_at, applied_at, cancelled_at, outcome, format FROM import_previews;
DROP TABLE import_previews;
ALTER TABLE import_previews_new RENAME TO import_previews;
