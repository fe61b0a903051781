import type { Db } from './db.ts';
import { edmontonDate } from './edmonton.ts';
import type { PanelSnapshot, SnapshotPatient } from './snapshot.ts';

/**
 * A panel as CPAR would receive it at `at`: its members whose status is active, each with
 * the latest visit with any practitioner of the clinic up to that Edmonton day, and the
 * confirmation date for this panel. Null when the panel does not exist.
 */
export async function extractPanel(db: Db, panelId: number, at: Date): Promise<PanelSnapshot | null> {
  const [panel, practitioners, members] = await db.batch(
    [
      { sql: 'SELECT id, name, panel_number FROM panels WHERE id = ?', args: [panelId] },
      {
        sql: `SELECT pr.name, pr.practitioner_id FROM panel_practitioners pp
                JOIN practitioners pr ON pr.id = pp.practitioner_id
               WHERE pp.panel_id = ? ORDER BY pr.name, pr.id`,
        args: [panelId],
      },
      {
        sql: `SELECT pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender, m.confirmed_on,
                     (SELECT max(v.visit_date) FROM visits v
                       WHERE v.patient_id = pt.id AND v.visit_date <= ?) AS last_visit_on
                FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
               WHERE m.panel_id = ? AND pt.status = 'active'
               ORDER BY pt.id`,
        args: [edmontonDate(at), panelId],
      },
    ],
    'read',
  );
  const row = panel.rows[0];
  if (!row) return null;
  return {
    panelId,
    panelName: String(row.name),
    panelNumber: String(row.panel_number ?? ''),
    practitioners: practitioners.rows.map((p) => ({
      name: String(p.name),
      practitionerId: p.practitioner_id === null ? null : String(p.practitioner_id),
    })),
    patients: members.rows.map(
      (m): SnapshotPatient => ({
        patientId: Number(m.id),
        uli: String(m.uli),
        lastName: String(m.last_name),
        firstName: String(m.first_name),
        birthDate: String(m.birth_date),
        gender: m.gender as SnapshotPatient['gender'],
        lastVisitOn: m.last_visit_on === null ? null : String(m.last_visit_on),
        confirmedOn: m.confirmed_on === null ? null : String(m.confirmed_on),
      }),
    ),
    takenAt: at,
  };
}
