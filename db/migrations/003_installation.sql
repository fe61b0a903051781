-- Names this installation. Netcare sees many clinics and outlives a reset portal database,
-- so an Idempotency-Key is this id with the submission's id, never the bare number.
CREATE TABLE installation (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  identifier TEXT NOT NULL
);
INSERT INTO installation (id, identifier) VALUES (1, lower(hex(randomblob(16))));
