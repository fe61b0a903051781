-- A birth or confirmation date after the run's day is a rule of its own ('date_in_future'),
-- decided by readiness and the run before the message check could refuse it.

-- 1. submission_problems may record it: SQLite changes a CHECK only by rebuilding the table.
CREATE TABLE submission_problems_new (
  id            INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
  reason        TEXT NOT NULL CHECK (reason IN (
                  'name_too_long', 'practitioner_without_id', 'no_patients',
                  'no_last_visit', 'no_confirmation_date', 'date_in_future',
                  'netcare_rejected', 'netcare_unreachable', 'netcare_unconfirmed',
                  'netcare_error', 'message_check')),
  patient_id    INTEGER REFERENCES patients(id) ON DELETE SET NULL,
  detail        TEXT
);
INSERT INTO submission_problems_new SELECT id, submission_id, reason, patient_id, detail FROM submission_problems;
DROP TABLE submission_problems;
ALTER TABLE submission_problems_new RENAME TO submission_problems;
CREATE INDEX submission_problems_by_submission ON submission_problems(submission_id, reason, patient_id);

-- 2. Stored readiness facts lack the new count: gather them again. A birth date now matters
-- to readiness, so changing one forgets the patient's panels' facts like a status change does.
DELETE FROM panel_readiness;
DROP TRIGGER readiness_patient_change;
CREATE TRIGGER readiness_patient_change AFTER UPDATE OF status, birth_date ON patients
BEGIN DELETE FROM panel_readiness WHERE panel_id IN (SELECT panel_id FROM panel_members WHERE patient_id = NEW.id); END;

-- 3. What the message check refuses and no rule decides is refused where it is written.
-- SQLite's trim() drops only spaces: a name of a tab or a no-break space passed the CHECKs,
-- yet Netcare (and JavaScript's trim) sees it empty. And date() accepts the year 0000, which
-- no FHIR date has. The set below is JavaScript's whitespace.
CREATE TRIGGER patients_filled_insert BEFORE INSERT ON patients
WHEN trim(NEW.last_name, char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)) = '' OR trim(NEW.first_name, char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)) = '' OR NEW.birth_date < '0001-01-01'
BEGIN SELECT RAISE(ABORT, 'a patient needs a family name, a given name and a birth date from the year 1 on'); END;
CREATE TRIGGER patients_filled_update BEFORE UPDATE OF last_name, first_name, birth_date ON patients
WHEN trim(NEW.last_name, char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)) = '' OR trim(NEW.first_name, char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)) = '' OR NEW.birth_date < '0001-01-01'
BEGIN SELECT RAISE(ABORT, 'a patient needs a family name, a given name and a birth date from the year 1 on'); END;
CREATE TRIGGER panels_named_insert BEFORE INSERT ON panels WHEN trim(NEW.name, char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)) = ''
BEGIN SELECT RAISE(ABORT, 'a panel needs a name'); END;
CREATE TRIGGER panels_named_update BEFORE UPDATE OF name ON panels WHEN trim(NEW.name, char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)) = ''
BEGIN SELECT RAISE(ABORT, 'a panel needs a name'); END;
CREATE TRIGGER members_confirmed_insert BEFORE INSERT ON panel_members WHEN NEW.confirmed_on < '0001-01-01'
BEGIN SELECT RAISE(ABORT, 'a confirmation date is from the year 1 on'); END;
CREATE TRIGGER members_confirmed_update BEFORE UPDATE OF confirmed_on ON panel_members WHEN NEW.confirmed_on < '0001-01-01'
BEGIN SELECT RAISE(ABORT, 'a confirmation date is from the year 1 on'); END;
CREATE TRIGGER visits_dated_insert BEFORE INSERT ON visits WHEN NEW.visit_date < '0001-01-01'
BEGIN SELECT RAISE(ABORT, 'a visit date is from the year 1 on'); END;
CREATE TRIGGER visits_dated_update BEFORE UPDATE OF visit_date ON visits WHEN NEW.visit_date < '0001-01-01'
BEGIN SELECT RAISE(ABORT, 'a visit date is from the year 1 on'); END;
