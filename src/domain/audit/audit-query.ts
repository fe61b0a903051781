import type { Db } from '../database/db.ts';
import { edmontonInstant } from '../time/edmonton.ts';
import type { AuditAction } from './audit.ts';
import { ENTRIES_WITH_PATIENT_ULI } from './uli-lookup.ts';

export const AUDIT_ACTIONS: AuditAction[] = ['view', 'create', 'edit', 'delete', 'export', 'submit', 'sign-in', 'sign-in failed', 'denied'];
export const AUDIT_PAGE_SIZE = 50;
/** An entry of a list shows its first few patients (the one searched for first) and how many more. */
export const PATIENTS_SHOWN = 5;

export type AuditFilter = {
  username?: string;
  uli?: string;
  action?: AuditAction;
  /** Edmonton calendar days, inclusive */
  from?: string;
  to?: string;
  page: number;
};

export type AuditRow = {
  id: number; at: Date; atEdmonton: string; username: string | null; permissions: string; action: string;
  route: string; objectType: string | null; objectId: string | null;
  /** the panel's, user's or practitioner's name as it is now, beside the id */
  objectName: string | null;
  /** the first PATIENTS_SHOWN patients named; patientCount says how many in all */
  patients: AuditPatient[]; patientCount: number | null; requestId: string | null;
};

export type AuditPatient = { patientId: number | null; uli: string; name: string };

const dayStart = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return edmontonInstant(y, m, d).getTime();
};
const nextDay = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return edmontonInstant(y, m, d + 1).getTime();
};

// What an entry's object id stands for, by its type: the page shows the name beside the id.
export const OBJECT_NAME = `CASE
    WHEN object_type IN ('panel', 'panel_members', 'panel_member', 'patient_search')
      THEN (SELECT name FROM panels WHERE id = CAST(object_id AS INTEGER))
    WHEN object_type IN ('submission_problems', 'submission')
      THEN (SELECT p.name FROM submissions s JOIN panels p ON p.id = s.panel_id WHERE s.id = CAST(object_id AS INTEGER))
    WHEN object_type IN ('user', 'sign_in_lock') THEN (SELECT full_name FROM users WHERE id = CAST(object_id AS INTEGER))
    WHEN object_type = 'practitioner' THEN (SELECT name FROM practitioners WHERE id = CAST(object_id AS INTEGER))
  END`;

/**
 * Entries that name a ULI (bound three times, by namingUli): among their patients, or among
 * the ULIs a send to Netcare disclosed (a JSON list: the quoted ULI matches only a whole one).
 */
export const ENTRIES_NAMING_ULI = `(id IN (${ENTRIES_WITH_PATIENT_ULI})
  OR (action = 'submit' AND instr(disclosed_ulis, ?) > 0))`;
export const namingUli = (uli: string) => [uli, uli, `"${uli}"`];

/** One page of the audit trail, newest first, filtered; and whether there is a next page. */
export async function searchAudit(db: Db, filter: AuditFilter): Promise<{ rows: AuditRow[]; hasNext: boolean }> {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.username) { where.push('username = ? COLLATE NOCASE'); args.push(filter.username); }
  if (filter.action) { where.push('action = ?'); args.push(filter.action); }
  if (filter.uli) {
    where.push(ENTRIES_NAMING_ULI);
    args.push(...namingUli(filter.uli));
  }
  if (filter.from) { where.push('at >= ?'); args.push(dayStart(filter.from)); }
  if (filter.to) { where.push('at < ?'); args.push(nextDay(filter.to)); }
  const result = await db.execute({
    sql: `SELECT *, ${OBJECT_NAME} AS object_name FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
    args: [...args, AUDIT_PAGE_SIZE + 1, (filter.page - 1) * AUDIT_PAGE_SIZE],
  });
  const page = result.rows.slice(0, AUDIT_PAGE_SIZE);
  const named = await patientsOf(db, page.map((r) => Number(r.id)), filter.uli);
  const rows = page.map((r): AuditRow => ({
    id: Number(r.id), at: new Date(Number(r.at)), atEdmonton: String(r.at_edmonton),
    username: r.username === null ? null : String(r.username), permissions: String(r.permissions),
    action: String(r.action), route: String(r.route),
    objectType: r.object_type === null ? null : String(r.object_type),
    objectId: r.object_id === null ? null : String(r.object_id),
    objectName: r.object_name === null ? null : String(r.object_name),
    patients: named.get(Number(r.id)) ?? [],
    patientCount: r.patient_count === null ? null : Number(r.patient_count),
    requestId: r.request_id === null ? null : String(r.request_id),
  }));
  return { rows, hasNext: result.rows.length > AUDIT_PAGE_SIZE };
}

/** The first patients of each entry, the ULI searched for first. */
async function patientsOf(db: Db, ids: number[], uli: string | undefined): Promise<Map<number, AuditPatient[]>> {
  const result = await db.execute({
    sql: `SELECT audit_id, patient_id, uli, name FROM (
            SELECT p.*, row_number() OVER (PARTITION BY audit_id ORDER BY p.uli IS ? DESC, position) AS k
              FROM audit_patients p WHERE audit_id IN (SELECT value FROM json_each(?))) WHERE k <= ? ORDER BY audit_id, k`,
    args: [uli ?? null, JSON.stringify(ids), PATIENTS_SHOWN],
  });
  const named = new Map<number, AuditPatient[]>();
  for (const r of result.rows) {
    const list = named.get(Number(r.audit_id)) ?? [];
    list.push({ patientId: r.patient_id === null ? null : Number(r.patient_id), uli: String(r.uli), name: String(r.name) });
    named.set(Number(r.audit_id), list);
  }
  return named;
}

export type FilterProblem = { field: keyof AuditFilter; message: string };

/** Reads the filter form; every bad value is named, none is guessed at. */
export function parseAuditFilter(query: Record<string, string | undefined>): { filter: AuditFilter; problems: FilterProblem[] } {
  const problems: FilterProblem[] = [];
  const value = (k: string) => query[k]?.trim() || undefined;
  const filter: AuditFilter = { page: 1, username: value('user') };
  const uli = value('uli');
  if (uli !== undefined) {
    if (/^\d{9}$/.test(uli)) filter.uli = uli;
    else problems.push({ field: 'uli', message: 'A ULI is 9 digits.' });
  }
  const action = value('action');
  if (action !== undefined) {
    if ((AUDIT_ACTIONS as string[]).includes(action)) filter.action = action as AuditAction;
    else problems.push({ field: 'action', message: 'Choose an action from the list.' });
  }
  for (const field of ['from', 'to'] as const) {
    const day = value(field);
    if (day === undefined) continue;
    const [y, m, d] = day.split('-').map(Number);
    const real = /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === day;
    if (real) filter[field] = day;
    else problems.push({ field, message: 'Enter a date as YYYY-MM-DD.' });
  }
  if (filter.from && filter.to && filter.from > filter.to) problems.push({ field: 'to', message: 'The end date is before the start date.' });
  const page = Number(value('page') ?? 1);
  filter.page = Number.isSafeInteger(page) && page >= 1 ? page : 1;
  return { filter, problems };
}
