import { isAscii } from 'node:buffer';
import type { Db } from './db.ts';
import { edmontonDate } from './edmonton.ts';
import type { PanelSnapshot, SnapshotPatient } from './snapshot.ts';

type Member = [number, string, string, string, string, SnapshotPatient['gender'], string | null, string | null];

/**
 * The three reads of a snapshot, with their arguments in order. Whoever runs them must run
 * them in one read transaction; `snapshotOf` makes the snapshot of what they returned.
 */
export const EXTRACTION = {
  panel: { sql: 'SELECT name, panel_number FROM panels WHERE id = ?', args: (panelId: number) => [panelId] },
  practitioners: {
    sql: `SELECT pr.name, pr.practitioner_id FROM panel_practitioners pp
            JOIN practitioners pr ON pr.id = pp.practitioner_id
           WHERE pp.panel_id = ? ORDER BY pr.name, pr.id`,
    args: (panelId: number) => [panelId],
  },
  // One JSON text for the whole panel: turning thousands of rows into JavaScript objects one
  // by one costs more than the query itself. As bytes, so that the usual all-ASCII text is
  // copied into a string rather than decoded.
  members: {
    sql: `SELECT CAST(json_group_array(json_array(pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender,
                   m.confirmed_on,
                   (SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = pt.id AND v.visit_date <= ?))) AS BLOB)
            FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
           WHERE m.panel_id = ? AND pt.status = 'active'`,
    args: (panelId: number, at: Date) => [edmontonDate(at), panelId],
  },
} as const;

/** Rows as arrays of column values, in the order of each statement's columns. */
export type ExtractionRows = { panel: unknown[] | undefined; practitioners: unknown[][]; members: unknown };

/**
 * A panel as CPAR would receive it at `at`: its members whose status is active, each with
 * the latest visit with any practitioner of the clinic up to that Edmonton day, and the
 * confirmation date for this panel. Null when the panel does not exist.
 */
export async function extractPanel(db: Db, panelId: number, at: Date): Promise<PanelSnapshot | null> {
  const [panel, practitioners, members] = await db.batch(
    (['panel', 'practitioners', 'members'] as const).map((k) => ({ sql: EXTRACTION[k].sql, args: EXTRACTION[k].args(panelId, at) })),
    'read',
  );
  return snapshotOf(panelId, at, {
    panel: panel.rows[0] ? [panel.rows[0][0], panel.rows[0][1]] : undefined,
    practitioners: practitioners.rows.map((r) => [r[0], r[1]]),
    members: members.rows[0]?.[0],
  });
}

export function snapshotOf(panelId: number, at: Date, rows: ExtractionRows): PanelSnapshot | null {
  if (!rows.panel) return null;
  const [name, panelNumber] = rows.panel;
  return {
    panelId,
    panelName: String(name),
    panelNumber: String(panelNumber ?? ''),
    practitioners: rows.practitioners.map(([practitionerName, practitionerId]) => ({
      name: String(practitionerName),
      practitionerId: practitionerId === null ? null : String(practitionerId),
    })),
    patients: (JSON.parse(textOf(rows.members)) as Member[])
      .map(([patientId, uli, lastName, firstName, birthDate, gender, confirmedOn, lastVisitOn]): SnapshotPatient => ({
        patientId, uli, lastName, firstName, birthDate, gender, lastVisitOn, confirmedOn,
      }))
      // Usually in this order already (the membership index): then the sort is one pass.
      .sort((a, b) => a.patientId - b.patientId),
    takenAt: at,
  };
}

function textOf(value: unknown): string {
  if (!(value instanceof ArrayBuffer || value instanceof Uint8Array)) return '[]';
  const bytes = value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.from(value);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}
