-- The clinic's own limits for readiness's warnings: a last visit or a confirmation older than
-- this many years suggests the patient may no longer be attached. One row; changes audited.
CREATE TABLE clinic_settings (
  id                       INTEGER PRIMARY KEY CHECK (id = 1),
  stale_visit_years        INTEGER NOT NULL DEFAULT 3 CHECK (stale_visit_years BETWEEN 1 AND 20),
  stale_confirmation_years INTEGER NOT NULL DEFAULT 3 CHECK (stale_confirmation_years BETWEEN 1 AND 20),
  updated_at               INTEGER,
  updated_by               INTEGER REFERENCES users(id)
);
INSERT INTO clinic_settings (id) VALUES (1);

-- Stored readiness facts now count warnings too: gather them again.
DELETE FROM panel_readiness;
-- The limits change every panel's warnings.
CREATE TRIGGER readiness_settings_change AFTER UPDATE ON clinic_settings
BEGIN DELETE FROM panel_readiness; END;
-- A patient joining or leaving one panel changes the "also on another CPAR panel" count of
-- every panel they are on, and a panel leaving or joining CPAR changes its members' others.
DROP TRIGGER readiness_members_in;
CREATE TRIGGER readiness_members_in AFTER INSERT ON panel_members
BEGIN DELETE FROM panel_readiness WHERE panel_id = NEW.panel_id
   OR panel_id IN (SELECT panel_id FROM panel_members WHERE patient_id = NEW.patient_id); END;
DROP TRIGGER readiness_members_out;
CREATE TRIGGER readiness_members_out AFTER DELETE ON panel_members
BEGIN DELETE FROM panel_readiness WHERE panel_id = OLD.panel_id
   OR panel_id IN (SELECT panel_id FROM panel_members WHERE patient_id = OLD.patient_id); END;
DROP TRIGGER readiness_panel_change;
CREATE TRIGGER readiness_panel_change AFTER UPDATE OF name, active, cpar_enabled ON panels
BEGIN DELETE FROM panel_readiness WHERE panel_id = NEW.id
   OR panel_id IN (SELECT o.panel_id FROM panel_members m JOIN panel_members o ON o.patient_id = m.patient_id WHERE m.panel_id = NEW.id); END;
