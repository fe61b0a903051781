-- Pages at provincial scale read, rather than recompute, two things per panel.

-- 1. Each panel's latest submission, kept by the database as submissions are added.
ALTER TABLE panels ADD COLUMN last_submission_id INTEGER REFERENCES submissions(id);
UPDATE panels SET last_submission_id = (
  SELECT id FROM submissions WHERE panel_id = panels.id ORDER BY created_at DESC, id DESC LIMIT 1);
CREATE TRIGGER submissions_latest AFTER INSERT ON submissions
BEGIN
  UPDATE panels SET last_submission_id = NEW.id
   WHERE id = NEW.panel_id
     AND (last_submission_id IS NULL
          OR (SELECT created_at FROM submissions WHERE id = panels.last_submission_id) <= NEW.created_at);
END;

-- 2. The facts the pipeline's rules judge, per CPAR panel, gathered for one Edmonton day.
-- Any change to what the rules look at deletes the panel's row, and the next reader
-- recomputes it: a stored "Ready" is never older than the data.
CREATE TABLE panel_readiness (
  panel_id    INTEGER PRIMARY KEY REFERENCES panels(id) ON DELETE CASCADE,
  as_of_day   TEXT NOT NULL,
  computed_at INTEGER NOT NULL,
  facts       TEXT NOT NULL -- what validateFacts reads: name, practitioners, counts and patient ids
);

CREATE TRIGGER readiness_members_in AFTER INSERT ON panel_members
BEGIN DELETE FROM panel_readiness WHERE panel_id = NEW.panel_id; END;
CREATE TRIGGER readiness_members_out AFTER DELETE ON panel_members
BEGIN DELETE FROM panel_readiness WHERE panel_id = OLD.panel_id; END;
CREATE TRIGGER readiness_members_change AFTER UPDATE OF confirmed_on, panel_id ON panel_members
BEGIN DELETE FROM panel_readiness WHERE panel_id IN (OLD.panel_id, NEW.panel_id); END;
CREATE TRIGGER readiness_panel_change AFTER UPDATE OF name, active, cpar_enabled ON panels
BEGIN DELETE FROM panel_readiness WHERE panel_id = NEW.id; END;
CREATE TRIGGER readiness_practitioners_in AFTER INSERT ON panel_practitioners
BEGIN DELETE FROM panel_readiness WHERE panel_id = NEW.panel_id; END;
CREATE TRIGGER readiness_practitioners_out AFTER DELETE ON panel_practitioners
BEGIN DELETE FROM panel_readiness WHERE panel_id = OLD.panel_id; END;
CREATE TRIGGER readiness_practitioner_change AFTER UPDATE OF name, practitioner_id ON practitioners
BEGIN DELETE FROM panel_readiness WHERE panel_id IN (SELECT panel_id FROM panel_practitioners WHERE practitioner_id = NEW.id); END;
CREATE TRIGGER readiness_patient_change AFTER UPDATE OF status ON patients
BEGIN DELETE FROM panel_readiness WHERE panel_id IN (SELECT panel_id FROM panel_members WHERE patient_id = NEW.id); END;
CREATE TRIGGER readiness_visit_in AFTER INSERT ON visits
BEGIN DELETE FROM panel_readiness WHERE panel_id IN (SELECT panel_id FROM panel_members WHERE patient_id = NEW.patient_id); END;
CREATE TRIGGER readiness_visit_out AFTER DELETE ON visits
BEGIN DELETE FROM panel_readiness WHERE panel_id IN (SELECT panel_id FROM panel_members WHERE patient_id = OLD.patient_id); END;
