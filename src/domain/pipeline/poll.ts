// The confirmation poll: what Netcare says of each Pending submission, and the registry's
// outcome stored with each confirmation.
import type { StatusOutcome } from '../submissions/netcare.ts';
import { failSubmission } from '../submissions/failures.ts';
import { settleUnanswered } from '../submissions/unanswered.ts';
import { confirmationStatements, outcomeFits, type Confirmation } from '../registry/registry-store.ts';
import { eachConcurrently } from './concurrency.ts';
import type { PipelineDeps } from './pipeline.ts';

export const UNCONFIRMED = 'No confirmation from Netcare within 24 hours.';
export const CONFIRMATION_WINDOW_MS = 24 * 3600_000;

/** How many of the registry's exceptions a poll holds before committing their confirmations. */
const EXCEPTIONS_PER_COMMIT = 5_000;

export type PollTally = { submitted: number; rejected: number; unconfirmed: number; waiting: number };

/**
 * Asks Netcare about every Pending submission: confirmed → Submitted, rejected → Failed
 * with Netcare's reason; still unconfirmed 24 hours after sending → Failed. One whose send
 * went unanswered is first looked up by its Idempotency-Key (and sent again if Netcare never
 * received it).
 */
export async function pollPending(deps: PipelineDeps): Promise<PollTally> {
  const { db, clock, netcare } = deps;
  const tally: PollTally = { submitted: 0, rejected: 0, unconfirmed: 0, waiting: 0 };
  const pending = await db.execute(`SELECT id, panel_id, netcare_reference, pending_at, snapshot_at, patient_count
                                      FROM submissions WHERE status = 'Pending' ORDER BY id`);
  // Confirmations (with the registry's outcome) are committed together, a few thousand
  // exceptions at a time, and "still waiting" at the end of the round: a few commits instead
  // of one per submission, without holding a province's outcomes in memory at once.
  let confirmed: Confirmation[] = [];
  let exceptions = 0;
  const commitConfirmed = async () => {
    const batch = confirmed;
    confirmed = [];
    exceptions = 0;
    if (batch.length === 0) return;
    const [, done] = await db.batch(confirmationStatements(clock.now().getTime(), batch), 'write');
    tally.submitted += done.rowsAffected;
  };
  const waiting: number[] = [];
  await eachConcurrently(pending.rows, async (row) => {
    const id = Number(row.id);
    let status: StatusOutcome;
    if (row.netcare_reference === null) {
      const settled = await settleUnanswered(deps, { id, panelId: Number(row.panel_id), snapshotAt: new Date(Number(row.snapshot_at)) });
      if ('failed' in settled) {
        if (settled.failed) tally.rejected++;
        return;
      }
      status = 'reference' in settled ? await netcare.status(settled.reference) : { kind: 'unreachable', detail: settled.waiting };
    } else {
      status = await netcare.status(String(row.netcare_reference));
    }
    deps.checkpoint?.('polled');
    const now = clock.now().getTime();
    if (status.kind === 'confirmed' && outcomeFits(status.registry, Number(row.patient_count))) {
      confirmed.push({ submissionId: id, registry: status.registry });
      exceptions += status.registry.exceptions.length;
      if (exceptions >= EXCEPTIONS_PER_COMMIT) await commitConfirmed();
    } else if (status.kind === 'confirmed') {
      // an outcome that cannot be this panel's: asked for again at the next poll
      waiting.push(id);
    } else if (status.kind === 'rejected') {
      const failed = await failSubmission(db, clock, id, { status: 'Pending' }, {
        briefError: `Netcare rejected the submission: ${status.reason}`,
        problems: [{ reason: 'netcare_rejected', patientId: null, detail: status.reason }],
      });
      if (failed) tally.rejected++;
    } else if (now - Number(row.pending_at) >= CONFIRMATION_WINDOW_MS) {
      const failed = await failSubmission(db, clock, id, { status: 'Pending' }, {
        briefError: UNCONFIRMED,
        problems: [{ reason: 'netcare_unconfirmed', patientId: null, detail: status.kind === 'unreachable' ? status.detail : null }],
      });
      if (failed) tally.unconfirmed++;
    } else {
      waiting.push(id);
    }
  });
  const now = clock.now().getTime();
  await commitConfirmed();
  if (waiting.length) {
    await db.execute({ sql: 'UPDATE submissions SET last_polled_at = ? WHERE id IN (SELECT value FROM json_each(?))', args: [now, JSON.stringify(waiting)] });
  }
  tally.waiting = waiting.length;
  return tally;
}
