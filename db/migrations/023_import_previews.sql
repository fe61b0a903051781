-- An import made in the portal is previewed before it is applied: the uploaded file waits here
-- until its user applies or cancels it (then its content is dropped: the least data kept).
-- applied_at set once, compare-and-set: a second Apply of the same preview is refused.
CREATE TABLE import_previews (
  id          INTEGER PRIMARY KEY,
  token       TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  file_name   TEXT NOT NULL,
  content     TEXT,
  created_at  INTEGER NOT NULL,
  applied_at  INTEGER,
  cancelled_at INTEGER,
  -- what the apply did, as counts (JSON)
  outcome     TEXT
);
