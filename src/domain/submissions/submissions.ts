import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';

export const STATUSES = ['Queued', 'Pending', 'Submitted', 'Failed'] as const;
export type Status = (typeof STATUSES)[number];

/** One line of the Submissions page: a CPAR panel and its last submission, if any. */
export type SubmissionRow = {
  panelId: number;
  panelName: string;
  panelNumber: string;
  hasFailureRecipient: boolean;
  last: null | {
    id: number;
    status: Status;
    createdAt: Date;
    patientCount: number | null;
    briefError: string | null;
    recipientNotified: boolean | null;
    /** which automatic retry (1–3) of a send Netcare did not get this is */
    automaticRetry: number | null;
    /** Pending without a reference: the send went unanswered and Netcare is being asked */
    unanswered: boolean;
    /** of the patients sent, how many the registry counted (its answer to a Submitted one) */
    registryCounted: number | null;
  };
};

const ROW_SQL = `
  SELECT p.id AS panel_id, p.name, p.panel_number, p.failure_recipient_id,
         s.id AS submission_id, s.status, s.created_at, s.patient_count, s.brief_error,
         s.recipient_notified, s.automatic_retry, s.netcare_reference, s.registry_counted
    FROM panels p
    LEFT JOIN submissions s ON s.id = p.last_submission_id
   WHERE p.active = 1 AND p.cpar_enabled = 1`;

export function toRow(r: Record<string, unknown>): SubmissionRow {
  return {
    panelId: Number(r.panel_id),
    panelName: String(r.name),
    panelNumber: String(r.panel_number),
    hasFailureRecipient: r.failure_recipient_id !== null,
    last:
      r.submission_id === null
        ? null
        : {
            id: Number(r.submission_id),
            status: r.status as Status,
            createdAt: new Date(Number(r.created_at)),
            patientCount: r.patient_count === null ? null : Number(r.patient_count),
            briefError: r.brief_error === null ? null : String(r.brief_error),
            recipientNotified: r.recipient_notified === null ? null : Number(r.recipient_notified) === 1,
            automaticRetry: r.automatic_retry === null ? null : Number(r.automatic_retry),
            unanswered: r.status === 'Pending' && r.netcare_reference === null,
            registryCounted: r.registry_counted === null || r.registry_counted === undefined ? null : Number(r.registry_counted),
          },
  };
}

/** One panel's row, or null when the panel is not an active CPAR panel. */
export async function getSubmissionRow(db: Db, panelId: number): Promise<SubmissionRow | null> {
  const result = await db.execute({ sql: `${ROW_SQL} AND p.id = ?`, args: [panelId] });
  return result.rows[0] ? toRow(result.rows[0]) : null;
}

/** Submit is offered when the panel has no submission or its last one is final. */
export function canSubmit(row: SubmissionRow): boolean {
  return row.last === null || row.last.status === 'Submitted' || row.last.status === 'Failed';
}

export function isOpen(status: Status): boolean {
  return status === 'Queued' || status === 'Pending';
}

export type QueueResult =
  | { ok: true; row: SubmissionRow }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'already_open'; row: SubmissionRow };

/**
 * Queues a manual submission of a panel. At most one submission per panel is open (Queued
 * or Pending): the insert only happens when none is, and the database's unique index
 * settles a race between two requests, so a double click queues the panel once.
 */
export async function queueSubmission(db: Db, clock: Clock, scope: Scope, panelId: number): Promise<QueueResult> {
  const inserted = await db.execute({
    sql: `INSERT INTO submissions (panel_id, status, created_at, trigger, triggered_by)
          SELECT p.id, 'Queued', ?, 'manual', ?
            FROM panels p
           WHERE p.id = ? AND p.active = 1 AND p.cpar_enabled = 1
             AND NOT EXISTS (SELECT 1 FROM submissions
                              WHERE panel_id = p.id AND status IN ('Queued', 'Pending'))
          ON CONFLICT DO NOTHING`,
    args: [clock.now().getTime(), scope.userId, panelId],
  });
  const row = await getSubmissionRow(db, panelId);
  if (!row) return { ok: false, reason: 'not_found' };
  if (inserted.rowsAffected === 0) return { ok: false, reason: 'already_open', row };
  return { ok: true, row };
}
