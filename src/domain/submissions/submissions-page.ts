import type { Db } from '../database/db.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { judgeStoredFacts, readinessOfCparPanels } from '../panels/readiness.ts';
import { toRow, type SubmissionRow } from './submissions.ts';
import type { Judgement } from '../panels/validation.ts';

export const SUBMISSIONS_PAGE_SIZE = 25;
export type SubmissionSort = 'name' | 'status';

/** Where a panel stands: its last submission's status, or never submitted. */
export const STANDINGS = ['failed', 'never', 'queued', 'pending', 'submitted'] as const;
export type Standing = (typeof STANDINGS)[number];
/** panels.status_rank of each standing (migration 009) */
const RANK: Record<Standing, number> = { failed: 0, never: 1, queued: 2, pending: 3, submitted: 4 };

export function isStanding(value: unknown): value is Standing {
  return typeof value === 'string' && (STANDINGS as readonly string[]).includes(value);
}

export type SubmissionPage = {
  rows: SubmissionRow[]; page: number; pages: number; total: number; sort: SubmissionSort;
  /** only the panels that stand so, when filtered */
  standing: Standing | null;
  /** every active CPAR panel, by standing, whatever the filter */
  counts: Record<Standing, number>;
};

// Sorted by status, the panels that need someone come first: failed, never sent, then the
// ones on their way, then the done — panels.status_rank, kept by the database (migration 009)
// and indexed, so a page is read off the index rather than sorted out of every panel.
const STATUS_ORDER = 'p.status_rank';

// The whole page in one statement and one JSON text (turning many columns of many rows into
// JavaScript values costs more than SQLite's work here): the number of panels, and one page of
// rows, each with its last submission and the readiness facts stored for the day, if any.
const PAGE_SQL = (order: string) => `
  SELECT json_object(
    'counts', (SELECT json_group_object(status_rank, n) FROM (SELECT status_rank, count(*) AS n FROM panels
                 WHERE active = 1 AND cpar_enabled = 1 GROUP BY status_rank)),
    'total', (SELECT count(*) FROM panels WHERE active = 1 AND cpar_enabled = 1 AND (?4 IS NULL OR status_rank = ?4)),
    'rows', (SELECT json_group_array(json_array(x.panel_id, x.name, x.panel_number, x.failure_recipient_id,
                      x.submission_id, x.status, x.created_at, x.patient_count, x.brief_error, x.recipient_notified, x.automatic_retry, x.registry_counted,
                      x.netcare_reference, x.facts))
               FROM (SELECT p.id AS panel_id, p.name, p.panel_number, p.failure_recipient_id, s.id AS submission_id,
                            s.status, s.created_at, s.patient_count, s.brief_error, s.recipient_notified, s.automatic_retry, s.registry_counted,
                            s.netcare_reference, r.facts
                       FROM panels p
                       LEFT JOIN submissions s ON s.id = p.last_submission_id
                       LEFT JOIN panel_readiness r ON r.panel_id = p.id AND r.as_of_day = ?1
                      WHERE p.active = 1 AND p.cpar_enabled = 1 AND (?4 IS NULL OR p.status_rank = ?4)
                      ORDER BY ${order} LIMIT ?2 OFFSET ?3) x)) AS listing`;

type Listed = { total: number; counts: Record<string, number>; rows: (Record<string, unknown> & { facts: string | null })[] };

async function readPage(db: Db, day: string, sort: SubmissionSort, page: number, standing: Standing | null): Promise<Listed> {
  const order = sort === 'status' ? `${STATUS_ORDER}, p.name COLLATE NOCASE, p.id` : 'p.name COLLATE NOCASE, p.id';
  const result = await db.execute({
    sql: PAGE_SQL(order),
    args: [day, SUBMISSIONS_PAGE_SIZE, (page - 1) * SUBMISSIONS_PAGE_SIZE, standing === null ? null : RANK[standing]],
  });
  const { total, counts, rows } = JSON.parse(String(result.rows[0].listing)) as { total: number; counts: Record<string, number>; rows: unknown[][] };
  // The names toRow reads, in the order PAGE_SQL lists the values.
  return { total, counts, rows: rows.map(([panel_id, name, panel_number, failure_recipient_id, submission_id, status, created_at,
    patient_count, brief_error, recipient_notified, automatic_retry, registry_counted, netcare_reference, facts]) => ({ panel_id, name, panel_number,
    failure_recipient_id, submission_id, status, created_at, patient_count, brief_error, recipient_notified, automatic_retry, registry_counted,
    netcare_reference, facts: facts as string | null })) };
}

/**
 * One page of the active CPAR-enabled panels with their last submission, by name or by
 * status (a page past the end is the last one), and each panel's readiness now.
 */
export async function loadSubmissionsPage(db: Db, now: Date, options: { page?: number; sort?: SubmissionSort; standing?: Standing | null } = {}): Promise<{
  listing: SubmissionPage; readiness: Map<number, Judgement>;
}> {
  const sort = options.sort ?? 'name';
  const day = edmontonDate(now);
  let page = Math.max(1, options.page ?? 1);
  const standing = options.standing ?? null;
  let listed = await readPage(db, day, sort, page, standing);
  const pages = Math.max(1, Math.ceil(listed.total / SUBMISSIONS_PAGE_SIZE));
  if (page > pages) {
    page = pages;
    listed = await readPage(db, day, sort, page, standing);
  }
  const counts = Object.fromEntries(STANDINGS.map((k) => [k, Number(listed.counts[RANK[k]] ?? 0)])) as Record<Standing, number>;
  const rows = listed.rows.map((r) => toRow(r));
  const readiness = new Map<number, Judgement>();
  for (const r of listed.rows) if (r.facts !== null) readiness.set(Number(r.panel_id), judgeStoredFacts(r.facts));
  // The day's facts of a panel are gathered by the first reader after a change.
  const missing = rows.map((r) => r.panelId).filter((id) => !readiness.has(id));
  if (missing.length) for (const [id, v] of await readinessOfCparPanels(db, now, missing)) readiness.set(id, v);
  return { listing: { rows, page, pages, total: listed.total, sort, standing, counts }, readiness };
}
