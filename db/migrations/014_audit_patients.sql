-- Issue 13: the trail answers "who saw this patient?" and shows when it was tampered with.

-- Every patient an audited action showed or touched, one row each, written in the same
-- write batch as its entry. The ULI and name are copied: the trail says what was seen then.
-- Rows arrive in entry order, so they are appended at the end of the table.
CREATE TABLE audit_patients (
  audit_id   INTEGER NOT NULL,
  position   INTEGER NOT NULL,
  patient_id INTEGER,
  uli        TEXT NOT NULL,
  name       TEXT NOT NULL,
  PRIMARY KEY (audit_id, position)
) WITHOUT ROWID;
-- Which entries name a ULI: the audit page's filter and the patient access report. (It costs
-- a members page about 1 ms: its 50 ULIs land on as many pages of the index. An FTS5 index
-- cost a tenth of that but made sqld stall two writers' batches, 2 runs in 10.)
CREATE INDEX audit_patients_by_uli ON audit_patients(uli, audit_id);

-- The few patients earlier entries named in their JSON column move to the child table.
INSERT INTO audit_patients (audit_id, position, patient_id, uli, name)
SELECT a.id, j.key, (SELECT id FROM patients WHERE uli = j.value ->> 'uli'), j.value ->> 'uli', j.value ->> 'name'
  FROM audit_log a, json_each(a.patients) j
 WHERE a.patients IS NOT NULL;

-- The hash chain: hash = SHA3-256(previous row's hash || the row's content), hex. The content
-- is the json_array below (src/domain/audit-chain.ts builds the same one); the first row has
-- no previous hash. Existing rows are chained here, in id order. (An aggregate's own ORDER BY
-- is not used: sqld's parser refuses it; an ordered subquery is aggregated in its order.)
DROP TRIGGER audit_log_no_update;
ALTER TABLE audit_log DROP COLUMN patients;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
-- A send to Netcare: the ULIs its message named, as a JSON list (src/domain/audit.ts says why
-- not a row each).
ALTER TABLE audit_log ADD COLUMN disclosed_ulis TEXT;
WITH RECURSIVE chain(id, prev, hash) AS (
  SELECT a.id, NULL, lower(hex(sha3(json_array(a.id, a.at, a.at_edmonton, a.user_id, a.username, a.permissions, a.action,
           a.route, a.object_type, a.object_id, a.patient_count, a.request_id, a.disclosed_ulis,
           json((SELECT json_group_array(json_array(p.patient_id, p.uli, p.name))
                   FROM (SELECT patient_id, uli, name FROM audit_patients WHERE audit_id = a.id ORDER BY position) p))))))
    FROM audit_log a WHERE a.id = (SELECT min(id) FROM audit_log)
  UNION ALL
  SELECT a.id, c.hash, lower(hex(sha3(c.hash || json_array(a.id, a.at, a.at_edmonton, a.user_id, a.username, a.permissions, a.action,
           a.route, a.object_type, a.object_id, a.patient_count, a.request_id, a.disclosed_ulis,
           json((SELECT json_group_array(json_array(p.patient_id, p.uli, p.name))
                   FROM (SELECT patient_id, uli, name FROM audit_patients WHERE audit_id = a.id ORDER BY position) p))))))
    FROM chain c JOIN audit_log a ON a.id = (SELECT min(id) FROM audit_log WHERE id > c.id)
)
UPDATE audit_log SET prev_hash = chain.prev, hash = chain.hash FROM chain WHERE chain.id = audit_log.id;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- An entry is only ever appended at the end of the chain: an id already used (INSERT OR
-- REPLACE skips the DELETE trigger, so it is refused here), an id out of order or a link to
-- anything but the last row's hash would rewrite or fork the trail.
CREATE TRIGGER audit_log_append_only BEFORE INSERT ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only: an entry goes at the end of the chain, under a new id')
   WHERE NEW.id IS NOT (SELECT coalesce(max(id), 0) + 1 FROM audit_log)
      OR NEW.prev_hash IS NOT (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1)
      OR NEW.hash IS NULL;
END;

CREATE TRIGGER audit_patients_no_update BEFORE UPDATE ON audit_patients
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_patients_no_delete BEFORE DELETE ON audit_patients
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
-- A patient added to an older entry afterwards is not refused here (a trigger per patient
-- row cost more than the rest of the write): the entry's hash covers its patients, and
-- `audit verify` names it.
