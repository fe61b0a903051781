-- Issue 13/16: "who saw this patient?" without a random index write on every page view.
-- The index audit_patients_by_uli took each members page view's 50 ULIs to as many random
-- places of a B-tree under the write lock: ~130 more pages of WAL per commit of 32 views
-- (163 frames instead of 35) and ~0.2 ms more CPU per view (docs/performance.md). Keyed by
-- patient id it was no better (133 frames): the key of a "who saw" lookup is the patient,
-- never the order the entries come in. So the lookup is kept behind the trail instead:
-- the scheduler appends the new entries' ULIs in bulk, sorted, a hundred entries at a
-- time (src/domain/audit/uli-lookup.ts), and a search reads the lookup up to
-- audit_uli_lookup_through and the trail's own rows after it (a range of its primary key),
-- so it finds every entry however far behind the lookup is.
-- The rows of audit_patients, and so every entry's hash, are unchanged.
DROP INDEX audit_patients_by_uli;

-- Derived from audit_patients (the ULI as it was when the entry was written: a patient
-- deleted or given another ULI since is still found by the one the trail recorded).
CREATE TABLE audit_uli_lookup (
  uli      TEXT NOT NULL,
  audit_id INTEGER NOT NULL,
  PRIMARY KEY (uli, audit_id)
) WITHOUT ROWID;

-- The last entry whose patients are in the lookup: one row.
CREATE TABLE audit_uli_lookup_through (
  one      INTEGER PRIMARY KEY CHECK (one = 1),
  audit_id INTEGER NOT NULL
);

INSERT INTO audit_uli_lookup (uli, audit_id) SELECT DISTINCT uli, audit_id FROM audit_patients ORDER BY uli, audit_id;
INSERT INTO audit_uli_lookup_through (one, audit_id) VALUES (1, coalesce((SELECT max(id) FROM audit_log), 0));

-- Like the trail it points into, the lookup only grows: a removed row would hide an access
-- from the search (the chain would not see it: the lookup is not hashed).
CREATE TRIGGER audit_uli_lookup_no_update BEFORE UPDATE ON audit_uli_lookup
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_uli_lookup_no_delete BEFORE DELETE ON audit_uli_lookup
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- The mark only moves forward.
CREATE TRIGGER audit_uli_lookup_through_forward BEFORE UPDATE ON audit_uli_lookup_through
BEGIN
  SELECT RAISE(ABORT, 'the ULI lookup only moves forward') WHERE NEW.audit_id < OLD.audit_id;
END;
CREATE TRIGGER audit_uli_lookup_through_no_delete BEFORE DELETE ON audit_uli_lookup_through
BEGIN
  SELECT RAISE(ABORT, 'the ULI lookup only moves forward');
END;
