import type { Db } from './db.ts';
import type { Clock } from './clock.ts';
import { failureMessage } from './failure-message.ts';

export type ProblemReason =
  | 'name_too_long' | 'practitioner_without_id' | 'no_patients' | 'no_last_visit' | 'no_confirmation_date'
  | 'netcare_rejected' | 'netcare_unreachable' | 'netcare_unconfirmed';

export type Problem = { reason: ProblemReason; patientId: number | null; detail: string | null };

export type Failure = {
  briefError: string;
  problems: Problem[];
  /** set when the panel was extracted for this submission */
  patientCount?: number;
};

/** Which state the submission must still be in (and, while Queued, who must hold it). */
export type Expected = { status: 'Queued'; claimedBy: string } | { status: 'Pending' };

/**
 * Fails a submission — only if it is still in the expected state, so two workers cannot
 * both fail it — and, in the same transaction, records its problems and puts exactly one
 * message in the failure recipient's inbox. Returns false when the state had moved on.
 */
export async function failSubmission(db: Db, clock: Clock, submissionId: number, expected: Expected, failure: Failure): Promise<boolean> {
  const now = clock.now().getTime();
  const tx = await db.transaction('write');
  try {
    const updated = await tx.execute({
      sql: `UPDATE submissions
               SET status = 'Failed', failed_at = ?, brief_error = ?,
                   patient_count = coalesce(?, patient_count), claimed_by = NULL, claimed_until = NULL,
                   recipient_notified = (SELECT failure_recipient_id IS NOT NULL FROM panels WHERE panels.id = submissions.panel_id)
             WHERE id = ? AND status = ? AND (? IS NULL OR claimed_by = ?)
         RETURNING panel_id, created_at, patient_count`,
      args: [now, failure.briefError, failure.patientCount ?? null, submissionId, expected.status,
        'claimedBy' in expected ? expected.claimedBy : null, 'claimedBy' in expected ? expected.claimedBy : null],
    });
    const row = updated.rows[0];
    if (!row) {
      await tx.rollback();
      return false;
    }
    await tx.execute({
      sql: `INSERT INTO submission_problems (submission_id, reason, patient_id, detail)
            SELECT ?, json_extract(value, '$.reason'), json_extract(value, '$.patientId'), json_extract(value, '$.detail')
              FROM json_each(?)`,
      args: [submissionId, JSON.stringify(failure.problems)],
    });
    const panel = (await tx.execute({
      sql: 'SELECT name, panel_number, failure_recipient_id FROM panels WHERE id = ?',
      args: [Number(row.panel_id)],
    })).rows[0];
    if (panel.failure_recipient_id !== null) {
      const patientsToFix = new Set(failure.problems.filter((p) => p.patientId !== null).map((p) => p.patientId)).size;
      const message = failureMessage({
        panelName: String(panel.name),
        panelNumber: String(panel.panel_number ?? ''),
        createdAt: new Date(Number(row.created_at)),
        briefError: failure.briefError,
        patientCount: row.patient_count === null ? null : Number(row.patient_count),
        patientsToFix,
      });
      await tx.execute({
        sql: `INSERT INTO inbox_messages (recipient_id, subject, body, created_at, panel_id, submission_id)
              VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        args: [Number(panel.failure_recipient_id), message.subject, message.body, now, Number(row.panel_id), submissionId],
      });
    }
    await tx.commit();
    return true;
  } finally {
    tx.close();
  }
}
