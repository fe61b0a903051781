-- Issue 13: throttling keys on the username and the address together, refusals do not count
-- as guesses (an attacker who is refused cannot keep a lock alive), and an administrator can
-- lift a lock.
ALTER TABLE sign_in_attempts ADD COLUMN refused INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1));
CREATE INDEX sign_in_attempts_by_pair ON sign_in_attempts(username, address, at);

-- A lift forgets the username's failures up to its time, as a successful sign-in does.
CREATE TABLE sign_in_lock_lifts (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  username  TEXT NOT NULL COLLATE NOCASE,
  lifted_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX sign_in_lock_lifts_by_username ON sign_in_lock_lifts(username, at);
