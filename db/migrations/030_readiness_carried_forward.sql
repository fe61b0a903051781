-- Readiness carried from one day to the next (src/domain/panels/readiness-carry.ts). A panel's
-- stored facts change with the day only through members with a date near the day or near a
-- warning's cutoff; these indexes find those few members (a few thousand a day at provincial
-- scale) instead of reading all of them again every morning.
CREATE INDEX visits_by_date ON visits(visit_date, patient_id);
CREATE INDEX panel_members_by_confirmation ON panel_members(confirmed_on);

-- A stored row now lasts past its day, so every change the rules look at must forget it.
-- Nothing updates a visit or a member's patient today; were anything to, the facts would
-- otherwise be carried forward unaware.
CREATE TRIGGER readiness_visit_change AFTER UPDATE OF patient_id, visit_date ON visits
BEGIN DELETE FROM panel_readiness WHERE panel_id IN (SELECT panel_id FROM panel_members
  WHERE patient_id IN (OLD.patient_id, NEW.patient_id)); END;
CREATE TRIGGER readiness_members_patient_change AFTER UPDATE OF patient_id ON panel_members
BEGIN DELETE FROM panel_readiness WHERE panel_id IN (OLD.panel_id, NEW.panel_id)
   OR panel_id IN (SELECT panel_id FROM panel_members WHERE patient_id IN (OLD.patient_id, NEW.patient_id)); END;
