-- Sign-in throttling that holds across several portal processes: the attempts are shared here.
CREATE TABLE sign_in_attempts (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  username  TEXT NOT NULL COLLATE NOCASE,
  address   TEXT NOT NULL,
  succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1))
);
CREATE INDEX sign_in_attempts_by_username ON sign_in_attempts(username, at);
CREATE INDEX sign_in_attempts_by_address ON sign_in_attempts(address, at);

INSERT INTO permissions (name, description) VALUES ('view_audit_log', 'View the audit log');
