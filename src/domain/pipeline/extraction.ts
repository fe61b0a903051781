import { isAscii } from 'node:buffer';
import type { Db } from '../database/db.ts';
import { edmontonDate } from '../time/edmonton.ts';
import type { PanelSnapshot, SnapshotPatient } from '../submissions/snapshot.ts';
import type { PanelFacts } from '../panels/validation.ts';
import { JsonColumn, NULL, type MemberColumns } from '../database/json-column.ts';
import { lastVisitUpTo } from '../panels/last-visit.ts';

/**
 * The three reads of a snapshot, with their arguments in order. Whoever runs them must run
 * them in one read transaction; `extractedOf` makes the snapshot of what they returned.
 */
export const EXTRACTION = {
  panel: { sql: 'SELECT name, panel_number FROM panels WHERE id = ?', args: (panelId: number) => [panelId] },
  practitioners: {
    sql: `SELECT pr.name, pr.practitioner_id FROM panel_practitioners pp
            JOIN practitioners pr ON pr.id = pp.practitioner_id
           WHERE pp.panel_id = ? ORDER BY pr.name, pr.id`,
    args: (panelId: number) => [panelId],
  },
  // The members as one JSON list per column: turning thousands of rows into JavaScript
  // objects one by one costs more than the query itself, and a list per column is a sixth
  // less to parse than a list per patient. The columns the rules read come first and are
  // parsed first: a panel that fails them is never sent, so its names are never parsed. As
  // bytes, so that the usual all-ASCII text is copied into a string rather than decoded.
  // The last column lists the patients with a date that cannot be true (after the day).
  members: {
    sql: `SELECT CAST(json_group_array(pt.id) AS BLOB), CAST(json_group_array(m.confirmed_on) AS BLOB),
                 CAST(json_group_array(${lastVisitUpTo('?1')}) AS BLOB),
                 CAST(json_group_array(pt.uli) AS BLOB), CAST(json_group_array(pt.last_name) AS BLOB),
                 CAST(json_group_array(pt.first_name) AS BLOB), CAST(json_group_array(pt.birth_date) AS BLOB),
                 CAST(json_group_array(pt.gender) AS BLOB),
                 CAST(json_group_array(pt.id) FILTER (WHERE pt.birth_date > ?1 OR m.confirmed_on > ?1) AS BLOB)
            FROM panel_members m JOIN patients pt ON pt.id = m.patient_id
           WHERE m.panel_id = ?2 AND pt.status = 'active'`,
    args: (panelId: number, at: Date) => [edmontonDate(at), panelId],
  },
} as const;

/** Rows as arrays of column values, in the order of each statement's columns. */
export type ExtractionRows = { panel: unknown[] | undefined; practitioners: unknown[][]; members: unknown[] | undefined };

/**
 * What the rules read, at once; the whole snapshot (names and all) only when asked for, or
 * the members as the columns the database returned, for writing the message from them.
 */
export type Extracted = {
  facts: PanelFacts;
  /** the members' ULIs as SQLite listed them (JSON text): whom a send discloses, for the audit trail */
  uliList(): string;
  snapshot(): PanelSnapshot;
  members(): { panel: Omit<PanelSnapshot, 'patients'>; columns: MemberColumns; order: number[] };
};

/**
 * A panel as CPAR would receive it at `at`: its members whose status is active, each with
 * the latest visit with any practitioner of the clinic up to that Edmonton day, and the
 * confirmation date for this panel. Null when the panel does not exist.
 */
export async function extractPanel(db: Db, panelId: number, at: Date): Promise<PanelSnapshot | null> {
  return (await extractRows(db, panelId, at))?.snapshot() ?? null;
}

/** extractPanel, through the client, before any snapshot is made. */
export async function extractRows(db: Db, panelId: number, at: Date): Promise<Extracted | null> {
  const [panel, practitioners, members] = await db.batch(
    (['panel', 'practitioners', 'members'] as const).map((k) => ({ sql: EXTRACTION[k].sql, args: EXTRACTION[k].args(panelId, at) })),
    'read',
  );
  return extractedOf(panelId, at, {
    panel: panel.rows[0] ? [panel.rows[0][0], panel.rows[0][1]] : undefined,
    practitioners: practitioners.rows.map((r) => [r[0], r[1]]),
    members: members.rows[0] ? Array.from({ length: 9 }, (_, i) => members.rows[0][i]) : undefined,
  });
}

export function extractedOf(panelId: number, at: Date, rows: ExtractionRows): Extracted | null {
  if (!rows.panel) return null;
  const [name, panelNumber] = rows.panel;
  const practitioners = rows.practitioners.map(([practitionerName, practitionerId]) => ({
    name: String(practitionerName),
    practitionerId: practitionerId === null ? null : String(practitionerId),
  }));
  const lists = rows.members ?? [];
  const ids = listOf<number>(lists[0]);
  const confirmed = JsonColumn.of(lists[1], ids.length);
  const lastVisit = JsonColumn.of(lists[2], ids.length);
  // Patients in id order (usually the order they come in: then sorting is one pass).
  const order = ids.map((_, i) => i);
  if (ids.some((id, i) => i > 0 && ids[i - 1] > id)) order.sort((a, b) => ids[a] - ids[b]);
  const facts: PanelFacts = {
    panelName: String(name),
    practitioners,
    patientCount: ids.length,
    withoutVisit: order.filter((i) => lastVisit.kinds[i] === NULL).map((i) => ids[i]),
    withoutConfirmation: order.filter((i) => confirmed.kinds[i] === NULL).map((i) => ids[i]),
    withFutureDate: listOf<number>(lists[8]).sort((a, b) => a - b),
  };
  const panel = { panelId, panelName: facts.panelName, panelNumber: String(panelNumber ?? ''), practitioners, takenAt: at };
  let columns: MemberColumns | undefined;
  const members = () => {
    columns ??= {
      uli: JsonColumn.of(lists[3], ids.length), lastName: JsonColumn.of(lists[4], ids.length),
      firstName: JsonColumn.of(lists[5], ids.length), birthDate: JsonColumn.of(lists[6], ids.length),
      gender: JsonColumn.of(lists[7], ids.length), lastVisit, confirmed,
    };
    return { panel, columns, order };
  };
  let snapshot: PanelSnapshot | undefined;
  return {
    facts,
    uliList: () => textOf(lists[3]),
    members,
    snapshot() {
      const c = members().columns;
      snapshot ??= {
        ...panel,
        patients: order.map((i): SnapshotPatient => ({
          patientId: ids[i], uli: c.uli.valueAt(i) as string, lastName: c.lastName.valueAt(i) as string,
          firstName: c.firstName.valueAt(i) as string, birthDate: c.birthDate.valueAt(i) as string,
          gender: c.gender.valueAt(i) as SnapshotPatient['gender'],
          lastVisitOn: lastVisit.valueAt(i) as string | null, confirmedOn: confirmed.valueAt(i) as string | null,
        })),
      };
      return snapshot;
    },
  };
}

/** A JSON list sent as bytes, as text; an empty list when there is none. */
function textOf(value: unknown): string {
  if (!(value instanceof ArrayBuffer || value instanceof Uint8Array)) return '[]';
  const bytes = value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.from(value);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** A JSON list sent as bytes; empty when there is none. */
function listOf<T>(value: unknown): T[] {
  return JSON.parse(textOf(value)) as T[];
}
