-- What the clinic did about a mismatch or conflict the registry reported: who, when, what.
-- Kept by panel, patient and kind, so a later submission's item (the same problem, still open)
-- shows what was done about it; an item is resolved when a submission no longer reports it.
CREATE TABLE registry_actions (
  id           INTEGER PRIMARY KEY,
  panel_id     INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
  patient_id   INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('mismatch', 'conflict')),
  exception_id INTEGER REFERENCES registry_exceptions(id) ON DELETE SET NULL,
  action       TEXT NOT NULL CHECK (action IN ('contacted', 'confirmed', 'removed', 'corrected')),
  -- the date the patient confirmed, for 'confirmed'
  confirmed_on TEXT CHECK ((action = 'confirmed') = (confirmed_on IS NOT NULL)),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  at           INTEGER NOT NULL
);
CREATE INDEX registry_actions_by_panel ON registry_actions(panel_id, patient_id, kind);

-- An inbox message is a failure's or the registry's news of new mismatches and conflicts:
-- each leads its reader to its own page.
ALTER TABLE inbox_messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'failure' CHECK (kind IN ('failure', 'registry'));
