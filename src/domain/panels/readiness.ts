import type { Db } from '../database/db.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { extractPanel } from '../pipeline/extraction.ts';
import { judgeCounts, validatePanel, type Judgement, type PanelCounts, type Validation } from './validation.ts';
import { WARNING_CONDITIONS, warningsOf, type WarningCounts } from './readiness-warnings.ts';
import { CARRIED_DAYS, CARRY_FORWARD, dayConditions } from './readiness-carry.ts';

/**
 * Would this panel pass if it were sent now? The pipeline's own extraction and validation,
 * run ahead of the 15th — one source of truth for "Ready" and for the monthly run.
 */
export async function panelReadiness(db: Db, panelId: number, at: Date): Promise<Validation | null> {
  const snapshot = await extractPanel(db, panelId, at);
  return snapshot ? validatePanel(snapshot) : null;
}

// The facts of many panels in one statement, written as it reads them: triggers delete a
// panel's row when anything the rules look at changes, so a stored row is never older than
// the data. Each member's last visit up to the day is read once (an index seek) and serves
// both "no last visit" (extraction's "latest visit up to the day is null") and the stale-visit
// warning. "Also on another CPAR panel" is asked member by member for a few panels, and, for
// all of them, from the set of patients on two or more (one pass instead of a seek each).
const TODAY = dayConditions('?1', '(SELECT visit_cutoff FROM limits)', '(SELECT confirmation_cutoff FROM limits)');
const SHARED_ELSEWHERE = WARNING_CONDITIONS.on_other_panel.replaceAll('m.', 'sm.');
const SHARED = {
  // Patients on two or more panels of any kind (an index-only pass), then their memberships:
  // CROSS JOIN keeps that order, instead of a check on each of the clinic's memberships, and
  // the unary + keeps the panel list out of the index search (a seek per patient and panel).
  set: `FROM shared_patients s CROSS JOIN panel_members sm ON sm.patient_id = s.patient_id
          JOIN patients spt ON spt.id = sm.patient_id AND spt.status = 'active' WHERE ${SHARED_ELSEWHERE} AND`,
  each: `FROM panel_members sm JOIN patients spt ON spt.id = sm.patient_id AND spt.status = 'active'
          WHERE ${SHARED_ELSEWHERE} AND`,
};
const GATHER = (only: string, shared: 'each' | 'set') => `
  WITH limits AS (SELECT stale_visit_years, stale_confirmation_years,
                         date(?1, '-' || stale_visit_years || ' years') AS visit_cutoff,
                         date(?1, '-' || stale_confirmation_years || ' years') AS confirmation_cutoff FROM clinic_settings),
       shared_patients AS MATERIALIZED (SELECT patient_id FROM panel_members GROUP BY patient_id HAVING count(*) > 1)
  INSERT OR REPLACE INTO panel_readiness (panel_id, as_of_day, computed_at, facts)
  SELECT p.id, ?1, ?2, json_object(
           'panelName', p.name,
           'practitioners', (SELECT json_group_array(json_object('name', x.name, 'practitionerId', x.practitioner_id))
                               FROM (SELECT pr.name, pr.practitioner_id FROM panel_practitioners pp
                                       JOIN practitioners pr ON pr.id = pp.practitioner_id
                                      WHERE pp.panel_id = p.id ORDER BY pr.name, pr.id) x),
           'patientCount', coalesce(m.patients, 0),
           'withoutVisit', coalesce(m.without_visit, 0),
           'withoutConfirmation', coalesce(m.without_confirmation, 0),
           'withFutureDate', coalesce(m.with_future_date, 0),
           'onOtherPanel', coalesce(sh.on_other_panel, 0),
           'staleVisit', coalesce(m.stale_visit, 0),
           'staleConfirmation', coalesce(m.stale_confirmation, 0),
           'staleVisitYears', (SELECT stale_visit_years FROM limits),
           'staleConfirmationYears', (SELECT stale_confirmation_years FROM limits))
    FROM panels p
    LEFT JOIN (
      SELECT m.panel_id, count(*) AS patients,
             count(*) FILTER (WHERE ${TODAY.withoutVisit}) AS without_visit,
             count(*) FILTER (WHERE m.confirmed_on IS NULL) AS without_confirmation,
             count(*) FILTER (WHERE ${TODAY.withFutureDate}) AS with_future_date,
             count(*) FILTER (WHERE ${TODAY.staleVisit}) AS stale_visit,
             count(*) FILTER (WHERE ${TODAY.staleConfirmation}) AS stale_confirmation
        FROM panel_members m JOIN patients pt ON pt.id = m.patient_id AND pt.status = 'active'
       WHERE m.panel_id IN (SELECT id FROM panels p WHERE p.active = 1 AND p.cpar_enabled = 1 ${only})
       GROUP BY m.panel_id) m ON m.panel_id = p.id
    LEFT JOIN (
      SELECT sm.panel_id, count(*) AS on_other_panel
        ${SHARED[shared]} ${shared === 'set' ? '+' : ''}sm.panel_id IN (SELECT id FROM panels p WHERE p.active = 1 AND p.cpar_enabled = 1 ${only})
       GROUP BY sm.panel_id) sh ON sh.panel_id = p.id
   WHERE p.active = 1 AND p.cpar_enabled = 1 ${only}`;

/** The pipeline's rules applied to facts as panel_readiness stores them, with the warnings beside them. */
export function judgeStoredFacts(json: string): Judgement {
  const facts = JSON.parse(json) as PanelCounts & Partial<WarningCounts>;
  return { ...judgeCounts(facts), warnings: facts.staleVisitYears === undefined ? [] : warningsOf(facts as WarningCounts) };
}

/**
 * Readiness of the given active CPAR panels (all of them when none are given), by panel id:
 * today's stored facts where they are still there, an earlier day's carried forward to today
 * where they are, gathered afresh where not, judged by the pipeline's own rules.
 */
export async function readinessOfCparPanels(db: Db, now: Date, panelIds?: number[]): Promise<Map<number, Judgement>> {
  const day = edmontonDate(now);
  const only = panelIds ? 'AND p.id IN (SELECT value FROM json_each(?3))' : '';
  const ids = panelIds ? [JSON.stringify(panelIds)] : [];
  const read = { sql: `SELECT r.panel_id, r.facts FROM panel_readiness r JOIN panels p ON p.id = r.panel_id
                        WHERE r.as_of_day = ?1 AND p.active = 1 AND p.cpar_enabled = 1 ${only}`, args: panelIds ? [day, 0, ...ids] : [day] };
  let stored = (await db.execute(read)).rows;
  const expected = panelIds ? new Set(panelIds).size : null;
  if (expected === null || stored.length < expected) {
    // Carry what an earlier day kept, then gather only what is still missing: the stored rows
    // of today are as good as new ones.
    const earlier = (await db.execute({ sql: CARRIED_DAYS, args: [day] })).rows.map((r) => String(r.as_of_day));
    const carry = earlier.map((from) => ({
      sql: CARRY_FORWARD(panelIds ? 'AND p.id IN (SELECT value FROM json_each(?4))' : ''),
      args: [day, now.getTime(), from, ...ids],
    }));
    const gather = panelIds
      ? { sql: GATHER('AND p.id IN (SELECT value FROM json_each(?3)) AND p.id NOT IN (SELECT panel_id FROM panel_readiness WHERE as_of_day = ?1)', 'each'),
          args: [day, now.getTime(), JSON.stringify(panelIds)] }
      : { sql: GATHER('AND p.id NOT IN (SELECT panel_id FROM panel_readiness WHERE as_of_day = ?1)', 'set'), args: [day, now.getTime()] };
    const results = await db.batch([...carry, gather, read], 'write');
    stored = results[results.length - 1].rows;
  }
  return new Map(stored.map((r) => [Number(r.panel_id), judgeStoredFacts(String(r.facts))]));
}
