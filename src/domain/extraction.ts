import { isAscii } from 'node:buffer';
import type { Db } from './db.ts';
import { edmontonDate } from './edmonton.ts';
import type { PanelSnapshot, SnapshotPatient } from './snapshot.ts';

type Member = [number, string, string, string, string, SnapshotPatient['gender'], string | null, string | null];

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
      // One JSON text for the whole panel: turning thousands of rows into JavaScript objects
      // one by one costs more than the query itself. As bytes, so that the usual all-ASCII
      // text is copied into a string rather than decoded.
      {
        sql: `SELECT CAST(json_group_array(json_array(pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender,
                       m.confirmed_on,
                       (SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = pt.id AND v.visit_date <= ?))) AS BLOB) AS members
                FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
               WHERE m.panel_id = ? AND pt.status = 'active'`,
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
    patients: (JSON.parse(textOf(members.rows[0]?.members)) as Member[])
      .map(([patientId, uli, lastName, firstName, birthDate, gender, confirmedOn, lastVisitOn]): SnapshotPatient => ({
        patientId, uli, lastName, firstName, birthDate, gender, lastVisitOn, confirmedOn,
      }))
      // Usually in this order already (the membership index): then the sort is one pass.
      .sort((a, b) => a.patientId - b.patientId),
    takenAt: at,
  };
}

function textOf(value: unknown): string {
  if (!(value instanceof ArrayBuffer)) return '[]';
  const bytes = Buffer.from(value);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}
