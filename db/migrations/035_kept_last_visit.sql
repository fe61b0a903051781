-- Each patient's latest visit, kept with the patient by the triggers below, so that the
-- monthly run reads it with the patient's row instead of looking it up among the visits for
-- each of the province's 2.8 million memberships (1.3–1.4 s of the run's 3.1–3.9 s of reads). Extraction,
-- the members page and its CSV read a patient's last visit up to a day through
-- src/domain/panels/last-visit.ts: this value when it is not after the day, the visits
-- otherwise (a visit recorded ahead of its date).
ALTER TABLE patients ADD COLUMN last_visit_on TEXT;
UPDATE patients SET last_visit_on = (SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = patients.id);

CREATE TRIGGER last_visit_insert AFTER INSERT ON visits
BEGIN UPDATE patients SET last_visit_on = NEW.visit_date
       WHERE id = NEW.patient_id AND (last_visit_on IS NULL OR last_visit_on < NEW.visit_date); END;
-- Only the patient's latest visit going changes it (when a patient is deleted, their visits
-- go too, and whatever this writes goes with the patient).
CREATE TRIGGER last_visit_delete AFTER DELETE ON visits
BEGIN UPDATE patients SET last_visit_on = (SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = OLD.patient_id)
       WHERE id = OLD.patient_id AND last_visit_on = OLD.visit_date; END;
CREATE TRIGGER last_visit_change AFTER UPDATE OF patient_id, visit_date ON visits
BEGIN UPDATE patients SET last_visit_on = (SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = patients.id)
       WHERE id IN (OLD.patient_id, NEW.patient_id); END;
