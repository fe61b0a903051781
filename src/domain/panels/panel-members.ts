import type { Db } from '../database/db.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { extractRows } from '../pipeline/extraction.ts';
import { validateFacts, type Validation } from './validation.ts';
import { isWarningKind, panelWarnings, warnedPatientIds, type ReadinessWarning, type WarningKind } from './readiness-warnings.ts';
import { lastVisitUpTo } from './last-visit.ts';

export const MEMBERS_PAGE_SIZE = 50;
export const CANDIDATES_SHOWN = 20;
export const MEMBER_PROBLEMS = ['no_confirmation_date', 'no_last_visit', 'date_in_future'] as const;
export type MemberProblem = (typeof MEMBER_PROBLEMS)[number];
export type PatientStatus = 'active' | 'inactive' | 'deceased' | 'moved_away';
/** Only active patients are sent to CPAR; the others stay members but are not counted. */
export const STATUS_LABELS: Record<PatientStatus, string> = {
  active: 'Active', inactive: 'Inactive', deceased: 'Deceased', moved_away: 'Moved away',
};

export type MembersPanel = { id: number; name: string; panelNumber: string | null; cparEnabled: boolean };

export type Member = {
  patientId: number; uli: string; lastName: string; firstName: string; birthDate: string;
  gender: string; status: PatientStatus; confirmedOn: string | null; lastVisitOn: string | null;
  /** who recorded the confirmation date in the portal, and when; null for one that came with the import */
  confirmation: { by: string; at: Date } | null;
};
/** A member with the reasons the pipeline would flag them for now (none when not active). */
export type FlaggedMember = Member & { problems: MemberProblem[] };

/** A members filter: a rule's patients, or a readiness warning's. */
export type MemberFilter = MemberProblem | WarningKind;
export type MemberQuery = { q: string; page: number; problem: MemberFilter | null };

/** One page of members, with the whole panel's summary; `matching` counts the members the query keeps. */
export type MembersListing = PanelSummary & {
  rows: FlaggedMember[]; matching: number; page: number; pageCount: number; query: MemberQuery;
  /** of the matching members, those without a confirmation date: what bulk confirmation would fill */
  matchingUnconfirmed: number;
};

export function isMemberProblem(value: unknown): value is MemberProblem {
  return (MEMBER_PROBLEMS as readonly unknown[]).includes(value);
}

export function isMemberFilter(value: unknown): value is MemberFilter {
  return isMemberProblem(value) || isWarningKind(value);
}

/**
 * The last visit exactly as extraction computes it, up to the Edmonton day of `at`: the
 * statement's first argument (?1), so it must come before any other `?` in the statement.
 */
export const LAST_VISIT_SQL = lastVisitUpTo('?1');
const MEMBER_COLUMNS = `pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender, pt.status, m.confirmed_on,
  m.confirmed_by, m.confirmation_recorded_at, ${LAST_VISIT_SQL} AS last_visit_on`;
const BY_NAME = 'ORDER BY pt.last_name COLLATE NOCASE, pt.first_name COLLATE NOCASE, pt.id';

export function toMember(r: Record<string, unknown>): Member {
  return {
    patientId: Number(r.id), uli: String(r.uli), lastName: String(r.last_name), firstName: String(r.first_name),
    birthDate: String(r.birth_date), gender: String(r.gender), status: r.status as PatientStatus,
    confirmedOn: r.confirmed_on === null ? null : String(r.confirmed_on),
    lastVisitOn: r.last_visit_on === null || r.last_visit_on === undefined ? null : String(r.last_visit_on),
    confirmation: r.confirmed_by === null || r.confirmed_by === undefined || r.confirmed_on === null ? null
      : { by: String(r.confirmed_by), at: new Date(Number(r.confirmation_recorded_at)) },
  };
}

/** An active panel (CPAR-enabled or not), or null: an inactive panel's members are not managed. */
export async function getActivePanel(db: Db, panelId: number): Promise<MembersPanel | null> {
  const r = (await db.execute({ sql: 'SELECT id, name, panel_number, cpar_enabled FROM panels WHERE id = ? AND active = 1', args: [panelId] })).rows[0];
  return r ? { id: Number(r.id), name: String(r.name), panelNumber: r.panel_number === null ? null : String(r.panel_number), cparEnabled: Number(r.cpar_enabled) === 1 } : null;
}

/**
 * A name-or-ULI search as SQL: every word must match; a word of digits is the start of a
 * ULI, any other word a part of the last or first name. LIKE wildcards typed are literal.
 */
function searchClause(q: string): { sql: string; args: string[] } {
  const words = q.split(/[\s,]+/).filter(Boolean).slice(0, 6);
  const like = (w: string) => w.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  return {
    sql: words.map((w) => (/^\d+$/.test(w) ? " AND pt.uli LIKE ? ESCAPE '\\'"
      : " AND (pt.last_name LIKE ? ESCAPE '\\' OR pt.first_name LIKE ? ESCAPE '\\')")).join(''),
    args: words.flatMap((w) => (/^\d+$/.test(w) ? [`${like(w)}%`] : [`%${like(w)}%`, `%${like(w)}%`])),
  };
}

/** Each flagged patient's reasons, read from the pipeline's own validation. */
function problemsByPatient(validation: Validation): Map<number, MemberProblem[]> {
  const map = new Map<number, MemberProblem[]>();
  for (const failure of validation.failures) {
    if (!isMemberProblem(failure.reason)) continue;
    for (const id of failure.patientIds) map.set(id, [...(map.get(id) ?? []), failure.reason]);
  }
  return map;
}

export function flaggedIds(validation: Validation, problem: MemberProblem): number[] {
  return validation.failures.find((f) => f.reason === problem)?.patientIds ?? [];
}

/**
 * The pipeline's extraction and validation of the panel now: one source of truth. The rules
 * read only ids and dates, so no snapshot (names and all) is made.
 */
async function validateNow(db: Db, panelId: number, at: Date) {
  const extracted = await extractRows(db, panelId, at);
  if (!extracted) throw new Error(`panel ${panelId} vanished`);
  return { validation: validateFacts(extracted.facts), eligibleCount: extracted.facts.patientCount };
}

/** The patients a filter keeps: the validation's for a rule, the warning's own query for a warning. */
async function filteredIds(db: Db, panelId: number, problem: MemberFilter, validation: Validation, at: Date): Promise<number[]> {
  return isMemberProblem(problem) ? flaggedIds(validation, problem) : warnedPatientIds(db, panelId, problem, edmontonDate(at));
}

async function filterSql(db: Db, panelId: number, query: MemberQuery, validation: Validation, at: Date) {
  const search = searchClause(query.q);
  const problem = query.problem ? ' AND m.patient_id IN (SELECT value FROM json_each(?))' : '';
  const ids = query.problem ? [JSON.stringify(await filteredIds(db, panelId, query.problem, validation, at))] : [];
  return { where: `m.panel_id = ?${search.sql}${problem}`, args: [panelId, ...search.args, ...ids] };
}

const FROM = 'FROM panel_members m JOIN patients pt ON pt.id = m.patient_id';

/**
 * One page of a panel's members, by name, searched and filtered. A problem filter keeps
 * exactly the patients the pipeline's validation names for that reason.
 */
export async function listMembers(db: Db, panelId: number, query: MemberQuery, at: Date): Promise<MembersListing> {
  const summary = await panelSummary(db, panelId, at);
  const filter = await filterSql(db, panelId, query, summary.validation, at);
  const counted = await db.execute({
    sql: `SELECT count(*) AS n, count(*) FILTER (WHERE m.confirmed_on IS NULL) AS unconfirmed ${FROM} WHERE ${filter.where}`,
    args: filter.args,
  });
  const matching = Number(counted.rows[0].n);
  const pageCount = Math.max(1, Math.ceil(matching / MEMBERS_PAGE_SIZE));
  const page = Math.min(Math.max(1, query.page), pageCount);
  const rows = await db.execute({
    sql: `SELECT ${MEMBER_COLUMNS} ${FROM} WHERE ${filter.where} ${BY_NAME} LIMIT ? OFFSET ?`,
    args: [edmontonDate(at), ...filter.args, MEMBERS_PAGE_SIZE, (page - 1) * MEMBERS_PAGE_SIZE],
  });
  const problems = problemsByPatient(summary.validation);
  return {
    ...summary, matching, page, pageCount, query: { ...query, page }, matchingUnconfirmed: Number(counted.rows[0].unconfirmed),
    rows: rows.rows.map((r) => { const m = toMember(r); return { ...m, problems: problems.get(m.patientId) ?? [] }; }),
  };
}

/** Every member matching the query, all pages: what "confirm all shown by this filter" acts on. */
export async function matchingMemberIds(db: Db, panelId: number, query: MemberQuery, at: Date): Promise<number[]> {
  const { validation } = await validateNow(db, panelId, at);
  const filter = await filterSql(db, panelId, query, validation, at);
  const rows = await db.execute({ sql: `SELECT m.patient_id ${FROM} WHERE ${filter.where}`, args: filter.args });
  return rows.rows.map((r) => Number(r.patient_id));
}

export type PanelSummary = { validation: Validation; warnings: ReadinessWarning[]; memberCount: number; eligibleCount: number };

/** The panel's validation now, its warnings and its head counts: what the top of the members page shows. */
export async function panelSummary(db: Db, panelId: number, at: Date): Promise<PanelSummary> {
  const { validation, eligibleCount } = await validateNow(db, panelId, at);
  return { validation, eligibleCount, memberCount: await countMembers(db, panelId), warnings: await panelWarnings(db, panelId, at) };
}

export async function countMembers(db: Db, panelId: number): Promise<number> {
  const r = await db.execute({ sql: 'SELECT count(*) AS n FROM panel_members WHERE panel_id = ?', args: [panelId] });
  return Number(r.rows[0].n);
}

/** One member with the reasons the pipeline flags them for now; null when not on the panel. */
export async function getMember(db: Db, panelId: number, patientId: number, at: Date, summary: PanelSummary): Promise<FlaggedMember | null> {
  const r = (await db.execute({
    sql: `SELECT ${MEMBER_COLUMNS} ${FROM} WHERE m.panel_id = ? AND m.patient_id = ?`,
    args: [edmontonDate(at), panelId, patientId],
  })).rows[0];
  return r ? { ...toMember(r), problems: problemsByPatient(summary.validation).get(patientId) ?? [] } : null;
}

export type SingleConfirmation = 'confirmed' | 'not_on_panel' | 'already_confirmed';

/**
 * Records one member's confirmation date, with who recorded it and when. A date already there
 * is a fact and is not overwritten here: changing it is a deliberate bulk action.
 */
export async function confirmMember(db: Db, panelId: number, patientId: number, confirmedOn: string,
  recorded: { by: string; at: Date }): Promise<SingleConfirmation> {
  const [updated, member] = await db.batch([
    {
      sql: `UPDATE panel_members SET confirmed_on = ?, confirmed_by = ?, confirmation_recorded_at = ?
             WHERE panel_id = ? AND patient_id = ? AND confirmed_on IS NULL`,
      args: [confirmedOn, recorded.by, recorded.at.getTime(), panelId, patientId],
    },
    { sql: 'SELECT 1 FROM panel_members WHERE panel_id = ? AND patient_id = ?', args: [panelId, patientId] },
  ], 'write');
  if (updated.rowsAffected === 1) return 'confirmed';
  return member.rows.length ? 'already_confirmed' : 'not_on_panel';
}

/** Takes a patient off the panel (the patient stays); returns who, for the audit trail. */
export async function removeMember(db: Db, panelId: number, patientId: number): Promise<{ uli: string; name: string } | null> {
  const [who, removed] = await db.batch([
    { sql: `SELECT pt.uli, pt.last_name, pt.first_name ${FROM} WHERE m.panel_id = ? AND m.patient_id = ?`, args: [panelId, patientId] },
    { sql: 'DELETE FROM panel_members WHERE panel_id = ? AND patient_id = ? RETURNING patient_id', args: [panelId, patientId] },
  ], 'write');
  const r = who.rows[0];
  return r && removed.rows.length ? { uli: String(r.uli), name: `${r.last_name}, ${r.first_name}` } : null;
}

export type Candidate = Pick<Member, 'patientId' | 'uli' | 'lastName' | 'firstName' | 'birthDate' | 'status'>;

/** Patients not on the panel matching a name or ULI search: at most CANDIDATES_SHOWN, and whether more match. */
export async function searchCandidates(db: Db, panelId: number, q: string): Promise<{ candidates: Candidate[]; more: boolean }> {
  const search = searchClause(q);
  if (!search.sql) return { candidates: [], more: false };
  const rows = await db.execute({
    sql: `SELECT pt.id, pt.uli, pt.last_name, pt.first_name, pt.birth_date, pt.gender, pt.status, NULL AS confirmed_on
            FROM patients pt
           WHERE NOT EXISTS (SELECT 1 FROM panel_members m WHERE m.panel_id = ? AND m.patient_id = pt.id)${search.sql}
           ${BY_NAME} LIMIT ?`,
    args: [panelId, ...search.args, CANDIDATES_SHOWN + 1],
  });
  const candidates = rows.rows.slice(0, CANDIDATES_SHOWN).map((r) => toMember(r));
  return { candidates, more: rows.rows.length > CANDIDATES_SHOWN };
}

export type Addition = { added: number; alreadyMembers: number; unknown: number; addedIds?: number[] };

/** Adds existing patients to the panel, unconfirmed; members already on it are left as they are. */
export async function addMembers(db: Db, panelId: number, patientIds: number[]): Promise<Addition> {
  const ids = JSON.stringify([...new Set(patientIds)]);
  const [unknown, inserted] = await db.batch([
    { sql: 'SELECT count(*) AS n FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM patients WHERE id = j.value)', args: [ids] },
    { sql: `INSERT INTO panel_members (panel_id, patient_id)
            SELECT ?, pt.id FROM patients pt WHERE pt.id IN (SELECT value FROM json_each(?))
            ON CONFLICT DO NOTHING RETURNING patient_id`, args: [panelId, ids] },
  ], 'write');
  const missing = Number(unknown.rows[0].n);
  return { added: inserted.rows.length, addedIds: inserted.rows.map((r) => Number(r.patient_id)), unknown: missing, alreadyMembers: new Set(patientIds).size - missing - inserted.rows.length };
}

/**
 * A confirmation date typed by a clerk: empty means today; otherwise a real calendar date
 * 'YYYY-MM-DD' not after today (Edmonton).
 */
export function parseConfirmationDate(value: string | undefined, today: string): { ok: true; date: string } | { ok: false; message: string } {
  const text = (value ?? '').trim();
  if (text === '') return { ok: true, date: today };
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const real = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toISOString().slice(0, 10) === text;
  if (!real) return { ok: false, message: `“${text.slice(0, 30)}” is not a date. Enter the confirmation date as YYYY-MM-DD, for example ${today}.` };
  if (text > today) return { ok: false, message: `The confirmation date cannot be in the future: today is ${today}.` };
  return { ok: true, date: text };
}
