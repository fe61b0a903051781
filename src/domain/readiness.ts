import type { Db } from './db.ts';
import { edmontonDate } from './edmonton.ts';
import { extractPanel } from './extraction.ts';
import { validateFacts, validatePanel, type PanelFacts, type Validation } from './validation.ts';

/**
 * Would this panel pass if it were sent now? The pipeline's own extraction and validation,
 * run ahead of the 15th — one source of truth for "Ready" and for the monthly run.
 */
export async function panelReadiness(db: Db, panelId: number, at: Date): Promise<Validation | null> {
  const snapshot = await extractPanel(db, panelId, at);
  return snapshot ? validatePanel(snapshot) : null;
}

/**
 * Readiness of every active CPAR panel (or of the ones given), by panel id: the facts the
 * rules need, gathered for all panels in three statements instead of one extraction each,
 * then the pipeline's own rules. "No last visit" is extraction's "latest visit up to the
 * day is null", asked as "no visit up to the day", which stops at the first one found.
 */
export async function readinessOfCparPanels(db: Db, at: Date, panelIds?: number[]): Promise<Map<number, Validation>> {
  const only = panelIds ? 'AND p.id IN (SELECT value FROM json_each(?))' : '';
  const args = panelIds ? [JSON.stringify(panelIds)] : [];
  const [panels, practitioners, members] = await db.batch(
    [
      { sql: `SELECT p.id, p.name FROM panels p WHERE p.active = 1 AND p.cpar_enabled = 1 ${only}`, args },
      {
        sql: `SELECT pp.panel_id, pr.name, pr.practitioner_id
                FROM panels p JOIN panel_practitioners pp ON pp.panel_id = p.id
                JOIN practitioners pr ON pr.id = pp.practitioner_id
               WHERE p.active = 1 AND p.cpar_enabled = 1 ${only} ORDER BY pr.name, pr.id`,
        args,
      },
      {
        sql: `SELECT m.panel_id, count(*) AS patients,
                     json_group_array(m.patient_id) FILTER (WHERE NOT EXISTS (
                       SELECT 1 FROM visits v WHERE v.patient_id = m.patient_id AND v.visit_date <= ?)) AS without_visit,
                     json_group_array(m.patient_id) FILTER (WHERE m.confirmed_on IS NULL) AS without_confirmation
                FROM panels p JOIN panel_members m ON m.panel_id = p.id
                JOIN patients pt ON pt.id = m.patient_id AND pt.status = 'active'
               WHERE p.active = 1 AND p.cpar_enabled = 1 ${only}
               GROUP BY m.panel_id`,
        args: [edmontonDate(at), ...args],
      },
    ],
    'read',
  );
  const facts = new Map<number, PanelFacts>();
  for (const p of panels.rows) {
    facts.set(Number(p.id), { panelName: String(p.name), practitioners: [], patientCount: 0, withoutVisit: [], withoutConfirmation: [] });
  }
  for (const p of practitioners.rows) {
    facts.get(Number(p.panel_id))?.practitioners.push({
      name: String(p.name), practitionerId: p.practitioner_id === null ? null : String(p.practitioner_id),
    });
  }
  for (const m of members.rows) {
    const f = facts.get(Number(m.panel_id));
    if (!f) continue;
    f.patientCount = Number(m.patients);
    f.withoutVisit = (JSON.parse(String(m.without_visit)) as number[]).sort((a, b) => a - b);
    f.withoutConfirmation = (JSON.parse(String(m.without_confirmation)) as number[]).sort((a, b) => a - b);
  }
  return new Map([...facts].map(([id, f]) => [id, validateFacts(f)]));
}
