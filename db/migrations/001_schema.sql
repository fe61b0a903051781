-- The whole CPAR domain. Instants are INTEGER milliseconds since the epoch (UTC);
-- calendar dates (birth, visit, confirmation) are TEXT 'YYYY-MM-DD'.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(username)) > 0),
  full_name     TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
  password_hash TEXT NOT NULL,
  disabled_at   INTEGER,
  created_at    INTEGER NOT NULL
);

CREATE TABLE permissions (
  name        TEXT PRIMARY KEY,
  description TEXT NOT NULL
);
INSERT INTO permissions (name, description) VALUES
  ('cii_cpar_settings', 'CII/CPAR settings'),
  ('manage_users', 'Modify user permissions');

CREATE TABLE user_permissions (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  permission TEXT NOT NULL REFERENCES permissions(name),
  PRIMARY KEY (user_id, permission)
) WITHOUT ROWID;

-- Lucia-style sessions: the id is public, only a SHA-256 of the secret is kept.
CREATE TABLE sessions (
  id             TEXT PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  secret_hash    BLOB NOT NULL,
  created_at     INTEGER NOT NULL,
  last_active_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE practitioners (
  id              INTEGER PRIMARY KEY,
  key             TEXT UNIQUE,
  name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
  practitioner_id TEXT,
  user_id         INTEGER UNIQUE REFERENCES users(id) ON DELETE SET NULL
);

CREATE TABLE patients (
  id         INTEGER PRIMARY KEY,
  key        TEXT UNIQUE,
  uli        TEXT NOT NULL UNIQUE CHECK (length(uli) = 9 AND uli NOT GLOB '*[^0-9]*'),
  last_name  TEXT NOT NULL CHECK (length(trim(last_name)) > 0),
  first_name TEXT NOT NULL CHECK (length(trim(first_name)) > 0),
  birth_date TEXT NOT NULL CHECK (date(birth_date) IS birth_date),
  gender     TEXT NOT NULL CHECK (gender IN ('F', 'M', 'X', 'U')),
  status     TEXT NOT NULL DEFAULT 'active'
             CHECK (status IN ('active', 'inactive', 'deceased', 'moved_away'))
);
CREATE INDEX patients_by_name ON patients(last_name COLLATE NOCASE, first_name COLLATE NOCASE);

CREATE TABLE visits (
  id              INTEGER PRIMARY KEY,
  patient_id      INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  practitioner_id INTEGER NOT NULL REFERENCES practitioners(id),
  visit_date      TEXT NOT NULL CHECK (date(visit_date) IS visit_date)
);
-- Last visit = max(visit_date) per patient, with any practitioner of the clinic.
CREATE INDEX visits_by_patient_date ON visits(patient_id, visit_date);
CREATE INDEX visits_by_practitioner ON visits(practitioner_id);

CREATE TABLE panels (
  id                   INTEGER PRIMARY KEY,
  key                  TEXT UNIQUE,
  -- Longer than 255 characters is allowed here: the rule fails the submission, not the save.
  name                 TEXT NOT NULL CHECK (length(trim(name)) > 0),
  panel_number         TEXT CHECK (panel_number IS NULL OR length(trim(panel_number)) > 0),
  cpar_enabled         INTEGER NOT NULL DEFAULT 0 CHECK (cpar_enabled IN (0, 1)),
  active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failure_recipient_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at           INTEGER NOT NULL,
  CHECK (cpar_enabled = 0 OR panel_number IS NOT NULL)
);
CREATE UNIQUE INDEX panels_by_number ON panels(panel_number) WHERE panel_number IS NOT NULL;
CREATE INDEX panels_cpar_by_name ON panels(name COLLATE NOCASE) WHERE active = 1 AND cpar_enabled = 1;

CREATE TABLE panel_practitioners (
  panel_id        INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
  practitioner_id INTEGER NOT NULL REFERENCES practitioners(id),
  PRIMARY KEY (panel_id, practitioner_id)
) WITHOUT ROWID;
CREATE INDEX panel_practitioners_by_practitioner ON panel_practitioners(practitioner_id);

-- A panel keeps at least one practitioner once it has one (the domain adds the first
-- together with the panel); deleting the panel itself cascades freely.
CREATE TRIGGER panel_keeps_a_practitioner
BEFORE DELETE ON panel_practitioners
WHEN EXISTS (SELECT 1 FROM panels WHERE id = OLD.panel_id)
 AND (SELECT count(*) FROM panel_practitioners WHERE panel_id = OLD.panel_id) = 1
BEGIN
  SELECT RAISE(ABORT, 'a panel needs at least one practitioner');
END;

CREATE TABLE panel_members (
  panel_id     INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
  patient_id   INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  confirmed_on TEXT CHECK (confirmed_on IS NULL OR date(confirmed_on) IS confirmed_on),
  PRIMARY KEY (panel_id, patient_id)
) WITHOUT ROWID;
CREATE INDEX panel_members_by_patient ON panel_members(patient_id);

CREATE TABLE scheduled_runs (
  id            INTEGER PRIMARY KEY,
  job           TEXT NOT NULL,
  scheduled_for INTEGER NOT NULL,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER,
  late          INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
  summary       TEXT,
  UNIQUE (job, scheduled_for)
);

CREATE TABLE submissions (
  id                INTEGER PRIMARY KEY,
  panel_id          INTEGER NOT NULL REFERENCES panels(id),
  status            TEXT NOT NULL CHECK (status IN ('Queued', 'Pending', 'Submitted', 'Failed')),
  created_at        INTEGER NOT NULL,
  patient_count     INTEGER CHECK (patient_count IS NULL OR patient_count >= 0),
  brief_error       TEXT,
  trigger           TEXT NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
  triggered_by      INTEGER REFERENCES users(id),
  run_id            INTEGER REFERENCES scheduled_runs(id),
  netcare_reference TEXT,
  pending_at        INTEGER,
  submitted_at      INTEGER,
  failed_at         INTEGER,
  recipient_notified INTEGER CHECK (recipient_notified IS NULL OR recipient_notified IN (0, 1)),
  CHECK ((trigger = 'manual') = (triggered_by IS NOT NULL)),
  CHECK (status <> 'Failed' OR (brief_error IS NOT NULL AND failed_at IS NOT NULL)),
  CHECK (status <> 'Submitted' OR submitted_at IS NOT NULL),
  CHECK (status <> 'Pending' OR pending_at IS NOT NULL)
);
-- At most one submission waiting (Queued) or in flight (Pending) per panel: a double
-- click or a second tab cannot queue a panel twice.
CREATE UNIQUE INDEX submissions_one_open_per_panel ON submissions(panel_id)
  WHERE status IN ('Queued', 'Pending');
CREATE INDEX submissions_by_panel_latest ON submissions(panel_id, created_at DESC, id DESC);
CREATE INDEX submissions_by_status ON submissions(status) WHERE status IN ('Queued', 'Pending');

CREATE TABLE submission_problems (
  id            INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  reason        TEXT NOT NULL CHECK (reason IN (
                  'name_too_long', 'practitioner_without_id', 'no_patients',
                  'no_last_visit', 'no_confirmation_date',
                  'netcare_rejected', 'netcare_unreachable', 'netcare_unconfirmed')),
  patient_id    INTEGER REFERENCES patients(id) ON DELETE SET NULL,
  detail        TEXT
);
CREATE INDEX submission_problems_by_submission ON submission_problems(submission_id, reason, patient_id);

CREATE TABLE inbox_messages (
  id            INTEGER PRIMARY KEY,
  recipient_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  subject       TEXT NOT NULL,
  body          TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  read_at       INTEGER,
  panel_id      INTEGER REFERENCES panels(id) ON DELETE SET NULL,
  submission_id INTEGER REFERENCES submissions(id) ON DELETE SET NULL
);
-- One failure message per failed submission and recipient.
CREATE UNIQUE INDEX inbox_one_per_submission ON inbox_messages(submission_id, recipient_id)
  WHERE submission_id IS NOT NULL;
CREATE INDEX inbox_by_recipient ON inbox_messages(recipient_id, created_at DESC, id DESC);
CREATE INDEX inbox_unread_by_recipient ON inbox_messages(recipient_id) WHERE read_at IS NULL;
