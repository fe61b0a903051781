import { isAscii } from 'node:buffer';
import type { Db } from './db.ts';
import { edmontonDate } from './edmonton.ts';
import type { PanelSnapshot, SnapshotPatient } from './snapshot.ts';

/** The members column by column: ids, ULIs, last names, first names, birth dates, genders, confirmations, last visits. */
type Columns = [number[], string[], string[], string[], string[], SnapshotPatient['gender'][], (string | null)[], (string | null)[]];

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
  // by one costs more than the query itself. Column by column (a list per column, not one per
  // patient: a sixth less to parse), and as bytes, so that the usual all-ASCII text is copied
  // into a string rather than decoded.
  members: {
    sql: `SELECT CAST(json_array(json_group_array(pt.id), json_group_array(pt.uli), json_group_array(pt.last_name),
                   json_group_array(pt.first_name), json_group_array(pt.birth_date), json_group_array(pt.gender),
                   json_group_array(m.confirmed_on),
                   json_group_array((SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = pt.id AND v.visit_date <= ?))) AS BLOB)
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
    patients: patientsOf(rows.members),
    takenAt: at,
  };
}

function patientsOf(members: unknown): SnapshotPatient[] {
  const text = textOf(members);
  if (text === null) return [];
  const [ids, ulis, lastNames, firstNames, birthDates, genders, confirmations, lastVisits] = JSON.parse(text) as Columns;
  const patients: SnapshotPatient[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    patients[i] = {
      patientId: ids[i], uli: ulis[i], lastName: lastNames[i], firstName: firstNames[i], birthDate: birthDates[i],
      gender: genders[i], lastVisitOn: lastVisits[i], confirmedOn: confirmations[i],
    };
  }
  // Usually in this order already (the membership index): then the sort is one pass.
  return patients.sort((a, b) => a.patientId - b.patientId);
}

function textOf(value: unknown): string | null {
  if (!(value instanceof ArrayBuffer || value instanceof Uint8Array)) return null;
  const bytes = value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.from(value);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}
