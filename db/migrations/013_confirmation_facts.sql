-- A confirmation date is a fact about the patient's attachment: beside it, who recorded it in
-- the portal and when (null for a date that arrived with the clinical record's import).
ALTER TABLE panel_members ADD COLUMN confirmed_by TEXT;
ALTER TABLE panel_members ADD COLUMN confirmation_recorded_at INTEGER;

-- Every bulk change to a panel's members keeps the rows as they were, in the database (not a
-- session), so that it can be undone exactly until its undo_until.
CREATE TABLE member_changes (
  id          INTEGER PRIMARY KEY,
  panel_id    INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('confirm', 'reconfirm', 'remove')),
  -- the confirmation date set by a confirm or reconfirm; null for a removal
  confirmed_on TEXT,
  -- how many members the user selected (some may have been left as they were)
  selected_count INTEGER NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  made_at     INTEGER NOT NULL,
  undo_until  INTEGER NOT NULL,
  undone_at   INTEGER
);
CREATE INDEX member_changes_by_panel ON member_changes(panel_id, made_at);

-- The rows before the change: membership values as they were.
CREATE TABLE member_change_rows (
  change_id    INTEGER NOT NULL REFERENCES member_changes(id) ON DELETE CASCADE,
  patient_id   INTEGER NOT NULL,
  confirmed_on TEXT,
  confirmed_by TEXT,
  confirmation_recorded_at INTEGER,
  PRIMARY KEY (change_id, patient_id)
) WITHOUT ROWID;
-- Set with undone_at by the one undo that wins: only its batch restores the rows.
ALTER TABLE member_changes ADD COLUMN undo_token TEXT;
