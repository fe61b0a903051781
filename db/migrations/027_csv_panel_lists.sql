-- CSV panel lists (issue 15). An uploaded CSV waits here while its user maps its columns;
-- once mapped it becomes an import preview (import_previews) and this row is deleted, as it
-- is when the user cancels: the least data kept.
CREATE TABLE csv_uploads (
  id         INTEGER PRIMARY KEY,
  token      TEXT NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  file_name  TEXT NOT NULL,
  content    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- An import names records by key. Records made in the portal (a panel added under Settings,
-- the demo clinic) had none, so no import could name them: a CSV panel list could not fill
-- such a panel, nor keep such a patient's record. Each now gets a key from its id, which no
-- file uses and which holds no patient data.
UPDATE practitioners SET key = 'portal:practitioner:' || id WHERE key IS NULL;
UPDATE patients SET key = 'portal:patient:' || id WHERE key IS NULL;
UPDATE panels SET key = 'portal:panel:' || id WHERE key IS NULL;

CREATE TRIGGER practitioners_keyed AFTER INSERT ON practitioners WHEN NEW.key IS NULL
BEGIN UPDATE practitioners SET key = 'portal:practitioner:' || NEW.id WHERE id = NEW.id; END;
CREATE TRIGGER patients_keyed AFTER INSERT ON patients WHEN NEW.key IS NULL
BEGIN UPDATE patients SET key = 'portal:patient:' || NEW.id WHERE id = NEW.id; END;
CREATE TRIGGER panels_keyed AFTER INSERT ON panels WHEN NEW.key IS NULL
BEGIN UPDATE panels SET key = 'portal:panel:' || NEW.id WHERE id = NEW.id; END;
