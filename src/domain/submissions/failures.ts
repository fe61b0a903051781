import type { InStatement } from '@libsql/client';
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import { failureMessage } from '../inbox/failure-message.ts';
import { nextSendTime } from '../pipeline/send-time.ts';

export type ProblemReason =
  | 'name_too_long' | 'practitioner_without_id' | 'no_patients' | 'no_last_visit' | 'no_confirmation_date' | 'date_in_future'
  | 'netcare_rejected' | 'netcare_unreachable' | 'netcare_unconfirmed' | 'netcare_error' | 'message_check';

/** A send that certainly did not reach Netcare is sent again by itself this many times. */
export const AUTOMATIC_RETRIES = 3;

export type Problem = { reason: ProblemReason; patientId: number | null; detail: string | null };

export type Failure = {
  briefError: string;
  problems: Problem[];
  /** set when the panel was extracted for this submission */
  patientCount?: number;
  /** Netcare certainly did not get it and nothing in the panel needs fixing: retried by itself */
  transient?: boolean;
};

/** Which state the submission must still be in (and, while Queued, who must hold it). */
export type Expected = { status: 'Queued'; claimedBy: string } | { status: 'Pending' };

/**
 * Fails a submission — only if it is still in the expected state, so two workers cannot
 * both fail it — and, atomically with it, records its problems and puts exactly one message
 * in the failure recipient's inbox. Returns false when the state had moved on.
 *
 * One batch, not an interactive transaction: a transaction held across awaits would make
 * every other write of this process wait on it.
 */
export async function failSubmission(db: Db, clock: Clock, submissionId: number, expected: Expected, failure: Failure): Promise<boolean> {
  const statements = await failureStatements(db, clock, submissionId, expected, failure);
  if (!statements.length) return false;
  const [updated] = await db.batch(statements, 'write');
  return updated.rowsAffected === 1;
}

/**
 * failSubmission's writes, for a caller that commits them with others (the run commits a
 * panel's failure with its next claims); the first statement's rowsAffected says whether it
 * won. Empty when the submission does not exist.
 */
export async function failureStatements(db: Db, clock: Clock, submissionId: number, expected: Expected, failure: Failure): Promise<InStatement[]> {
  const now = clock.now().getTime();
  const facts = (await db.execute({
    sql: `SELECT s.panel_id, s.created_at, s.patient_count, s.automatic_retry, p.name, p.panel_number, p.failure_recipient_id
            FROM submissions s JOIN panels p ON p.id = s.panel_id WHERE s.id = ?`,
    args: [submissionId],
  })).rows[0];
  if (!facts) return [];
  const patientCount = failure.patientCount ?? (facts.patient_count === null ? null : Number(facts.patient_count));
  const recipient = facts.failure_recipient_id === null ? null : Number(facts.failure_recipient_id);
  const retried = Number(facts.automatic_retry ?? 0);
  const retry = failure.transient && retried < AUTOMATIC_RETRIES ? retried + 1 : null;
  const message = failureMessage({
    panelName: String(facts.name),
    panelNumber: String(facts.panel_number ?? ''),
    createdAt: new Date(Number(facts.created_at)),
    briefError: failure.briefError,
    patientCount,
    patientsToFix: new Set(failure.problems.filter((p) => p.patientId !== null).map((p) => p.patientId)).size,
    automaticRetry: !failure.transient ? null
      : retry ? { number: retry, of: AUTOMATIC_RETRIES, at: nextSendTime(clock.now()).at }
      : { number: retried, of: AUTOMATIC_RETRIES, at: null },
  });
  const token = crypto.randomUUID();
  const won = 'EXISTS (SELECT 1 FROM submissions WHERE id = ? AND outcome_token = ?)';
  const claimedBy = 'claimedBy' in expected ? expected.claimedBy : null;
  return [
      {
        sql: `UPDATE submissions
                 SET status = 'Failed', failed_at = ?, brief_error = ?, patient_count = ?, outcome_token = ?,
                     claimed_by = NULL, claimed_until = NULL, recipient_notified = ?
               WHERE id = ? AND status = ? AND (? IS NULL OR claimed_by = ?)`,
        args: [now, failure.briefError, patientCount, token, recipient === null ? 0 : 1,
          submissionId, expected.status, claimedBy, claimedBy],
      },
      {
        sql: `INSERT INTO submission_problems (submission_id, reason, patient_id, detail)
              SELECT ?, json_extract(value, '$.reason'), json_extract(value, '$.patientId'), json_extract(value, '$.detail')
                FROM json_each(?) WHERE ${won}`,
        args: [submissionId, JSON.stringify(failure.problems), submissionId, token],
      },
      {
        sql: `INSERT INTO inbox_messages (recipient_id, subject, body, created_at, panel_id, submission_id)
              SELECT ?, ?, ?, ?, ?, ? WHERE ? IS NOT NULL AND ${won}
              ON CONFLICT DO NOTHING`,
        args: [recipient, message.subject, message.body, now, Number(facts.panel_id), submissionId, recipient, submissionId, token],
      },
      {
        // Sent by the next run like any Queued submission; no user queued it.
        sql: `INSERT INTO submissions (panel_id, status, created_at, trigger, retry_of, automatic_retry)
              SELECT ?, 'Queued', ?, 'scheduled', ?, ? WHERE ? IS NOT NULL AND ${won}
              ON CONFLICT DO NOTHING`,
        args: [Number(facts.panel_id), now, submissionId, retry, retry, submissionId, token],
      },
  ];
}
