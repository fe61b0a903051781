-- The audit trail (Alberta EHR Regulation s.6; HIA s.60): who saw, changed, exported or sent
-- what, when. Append-only: the database refuses to change or remove an entry.
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  at_edmonton   TEXT NOT NULL,
  user_id       INTEGER,
  username      TEXT,
  permissions   TEXT NOT NULL DEFAULT '',
  action        TEXT NOT NULL CHECK (action IN (
                  'view', 'create', 'edit', 'delete', 'export', 'submit', 'sign-in', 'sign-in failed', 'denied')),
  route         TEXT NOT NULL,
  object_type   TEXT,
  object_id     TEXT,
  -- the patients concerned: a JSON array of {uli, name} for a few, a count for a list
  patients      TEXT,
  patient_count INTEGER,
  request_id    TEXT
);
CREATE INDEX audit_by_time ON audit_log(at DESC, id DESC);
CREATE INDEX audit_by_user ON audit_log(user_id, at DESC);
CREATE INDEX audit_by_action ON audit_log(action, at DESC);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
