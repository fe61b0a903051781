import type { Db } from './db.ts';
import { edmontonDate } from './edmonton.ts';
import { judgeStoredFacts, readinessOfCparPanels } from './readiness.ts';
import { toRow, type SubmissionRow } from './submissions.ts';
import type { Judgement } from './validation.ts';

export const SUBMISSIONS_PAGE_SIZE = 25;
export type SubmissionSort = 'name' | 'status';
export type SubmissionPage = { rows: SubmissionRow[]; page: number; pages: number; total: number; sort: SubmissionSort };

// Sorted by status, the panels that need someone come first: failed, never sent, then the
// ones on their way, then the done — panels.status_rank, kept by the database (migration 009)
// and indexed, so a page is read off the index rather than sorted out of every panel.
const STATUS_ORDER = 'p.status_rank';

// The whole page in one statement and one JSON text (turning many columns of many rows into
// JavaScript values costs more than SQLite's work here): the number of panels, and one page of
// rows, each with its last submission and the readiness facts stored for the day, if any.
const PAGE_SQL = (order: string) => `
  SELECT json_object(
    'total', (SELECT count(*) FROM panels WHERE active = 1 AND cpar_enabled = 1),
    'rows', (SELECT json_group_array(json_array(x.panel_id, x.name, x.panel_number, x.failure_recipient_id,
                      x.submission_id, x.status, x.created_at, x.patient_count, x.brief_error, x.recipient_notified, x.automatic_retry,
                      x.netcare_reference, x.facts))
               FROM (SELECT p.id AS panel_id, p.name, p.panel_number, p.failure_recipient_id, s.id AS submission_id,
                            s.status, s.created_at, s.patient_count, s.brief_error, s.recipient_notified, s.automatic_retry,
                            s.netcare_reference, r.facts
                       FROM panels p
                       LEFT JOIN submissions s ON s.id = p.last_submission_id
                       LEFT JOIN panel_readiness r ON r.panel_id = p.id AND r.as_of_day = ?
                      WHERE p.active = 1 AND p.cpar_enabled = 1
                      ORDER BY ${order} LIMIT ? OFFSET ?) x)) AS listing`;

type Listed = { total: number; rows: (Record<string, unknown> & { facts: string | null })[] };

async function readPage(db: Db, day: string, sort: SubmissionSort, page: number): Promise<Listed> {
  const order = sort === 'status' ? `${STATUS_ORDER}, p.name COLLATE NOCASE, p.id` : 'p.name COLLATE NOCASE, p.id';
  const result = await db.execute({
    sql: PAGE_SQL(order),
    args: [day, SUBMISSIONS_PAGE_SIZE, (page - 1) * SUBMISSIONS_PAGE_SIZE],
  });
  const { total, rows } = JSON.parse(String(result.rows[0].listing)) as { total: number; rows: unknown[][] };
  // The names toRow reads, in the order PAGE_SQL lists the values.
  return { total, rows: rows.map(([panel_id, name, panel_number, failure_recipient_id, submission_id, status, created_at,
    patient_count, brief_error, recipient_notified, automatic_retry, netcare_reference, facts]) => ({ panel_id, name, panel_number,
    failure_recipient_id, submission_id, status, created_at, patient_count, brief_error, recipient_notified, automatic_retry,
    netcare_reference, facts: facts as string | null })) };
}

/**
 * One page of the active CPAR-enabled panels with their last submission, by name or by
 * status (a page past the end is the last one), and each panel's readiness now.
 */
export async function loadSubmissionsPage(db: Db, now: Date, options: { page?: number; sort?: SubmissionSort } = {}): Promise<{
  listing: SubmissionPage; readiness: Map<number, Judgement>;
}> {
  const sort = options.sort ?? 'name';
  const day = edmontonDate(now);
  let page = Math.max(1, options.page ?? 1);
  let listed = await readPage(db, day, sort, page);
  const pages = Math.max(1, Math.ceil(listed.total / SUBMISSIONS_PAGE_SIZE));
  if (page > pages) {
    page = pages;
    listed = await readPage(db, day, sort, page);
  }
  const rows = listed.rows.map((r) => toRow(r));
  const readiness = new Map<number, Judgement>();
  for (const r of listed.rows) if (r.facts !== null) readiness.set(Number(r.panel_id), judgeStoredFacts(r.facts));
  // The day's facts of a panel are gathered by the first reader after a change.
  const missing = rows.map((r) => r.panelId).filter((id) => !readiness.has(id));
  if (missing.length) for (const [id, v] of await readinessOfCparPanels(db, now, missing)) readiness.set(id, v);
  return { listing: { rows, page, pages, total: listed.total, sort }, readiness };
}
