import type { Db } from './db.ts';
import type { Clock } from './clock.ts';
import type { Netcare, SendOutcome, StatusOutcome } from './netcare.ts';
import { extractPanel } from './extraction.ts';
import { validatePanel, type Validation } from './validation.ts';
import { failSubmission } from './failures.ts';
import { disclosure, ruleFailure, sendFailure } from './send-outcome.ts';
import { settleUnanswered } from './unanswered.ts';
import type { InStatement } from '@libsql/client';
import { claimLapseMs } from './claims.ts';
import { confirmationStatements, outcomeFits, type Confirmation } from './registry-store.ts';

export type PipelineDeps = {
  db: Db;
  clock: Clock;
  netcare: Netcare;
  /** who holds a claim: one id per process */
  workerId: string;
  /** how long a claim holds unless its worker's heartbeat renews it (claims.ts) */
  claimMs?: number;
  /** called at the steps where a crash is most harmful; the fault tests kill the process there */
  checkpoint?: (step: Checkpoint) => void;
  /**
   * Extraction, validation and the message, done elsewhere (a worker thread, so that a
   * province's panels do not hold this thread's event loop); in this thread when absent.
   */
  prepare?: PreparePanel;
  /** true once the process is shutting down: a run stops at its next safe point */
  stopping?: () => boolean;
};

/**
 * A run told to stop (the process got SIGTERM) ends at a safe point: the sends in flight are
 * done and recorded, no new one is claimed, and the run is left unfinished for the next
 * portal to resume.
 */
export class Stopped extends Error {
  constructor() {
    super('stopped at a safe point before the run was done');
  }
}

/** A panel as the run found it: how many patients, what the rules said, and how to send it. */
export type PreparedPanel = {
  panelId: number; patientCount: number; validation: Validation; send(): Promise<SendOutcome>;
  /** the ULIs the message names, as a JSON list: the send's audit entry keeps them */
  ulis: string;
};
export type PreparePanel = (panelId: number, submissionId: number, snapshotAt: Date) => Promise<PreparedPanel | null>;

/** The in-thread preparation: the snapshot is sent through the Netcare port. */
export function prepareHere(deps: PipelineDeps): PreparePanel {
  return async (panelId, submissionId, snapshotAt) => {
    const snapshot = await extractPanel(deps.db, panelId, snapshotAt);
    if (!snapshot) return null;
    return {
      panelId, patientCount: snapshot.patients.length, ulis: JSON.stringify(snapshot.patients.map((p) => p.uli)),
      validation: validatePanel(snapshot),
      send: () => deps.netcare.send(snapshot, submissionId),
    };
  };
}

export type Checkpoint = 'run-claimed' | 'sent' | 'polled';
export const CHECKPOINTS: Checkpoint[] = ['run-claimed', 'sent', 'polled'];

export const UNCONFIRMED = 'No confirmation from Netcare within 24 hours.';
export const CONFIRMATION_WINDOW_MS = 24 * 3600_000;

/** unanswered: Pending without a reference, Netcare may hold it; unreachable: certainly not received */
export type Outcome = 'skipped' | 'invalid' | 'pending' | 'unanswered' | 'rejected' | 'unreachable';

/**
 * Requests to Netcare at once: while one waits for Netcare another is sent. Each submission
 * is claimed on its own, so this changes nothing about exactly-once.
 */
export const CONCURRENCY = 4;

/**
 * Panels a run works on at once: twice the requests to Netcare, so that the next panels are
 * being prepared while others are being sent (the sends themselves stay at CONCURRENCY).
 */
const PANELS_IN_PROGRESS = 2 * CONCURRENCY;

/** At most `limit` of the calls at once; the others wait their turn. */
function limited(limit: number) {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}

async function eachConcurrently<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/**
 * The compare-and-set that claims one Queued submission for this worker; returns its panel
 * and the instant of its snapshot — `snapshotAt` unless an earlier claim fixed it already.
 */
function claimStatement(deps: PipelineDeps, submissionId: number, snapshotAt: Date): InStatement {
  const now = deps.clock.now().getTime();
  return {
    sql: `UPDATE submissions SET claimed_by = ?, claimed_until = ?, snapshot_at = coalesce(snapshot_at, ?)
           WHERE id = ? AND status = 'Queued' AND (claimed_until IS NULL OR claimed_until <= ?)
             -- a panel deactivated or taken off CPAR since it was queued is not sent; its
             -- submission waits, Queued, in case the panel comes back
             AND EXISTS (SELECT 1 FROM panels p WHERE p.id = submissions.panel_id AND p.active = 1 AND p.cpar_enabled = 1)
       RETURNING panel_id, snapshot_at`,
    args: [deps.workerId, now + claimLapseMs(deps), snapshotAt.getTime(), submissionId, now],
  };
}

/** How a claimed submission ended, and what is still to be committed to say so. */
type Step = { outcome: Outcome; record: InStatement[] };

/**
 * Takes one Queued submission through extraction, validation and sending. The claim is a
 * compare-and-set: a submission another worker holds is skipped, so none is sent twice.
 * The snapshot is the panel as it stands now (or at its first claim, when it is resumed).
 */
export async function processSubmission(deps: PipelineDeps, submissionId: number): Promise<Outcome> {
  const claimed = (await deps.db.execute(claimStatement(deps, submissionId, deps.clock.now()))).rows[0];
  if (!claimed) return 'skipped';
  const step = await carryOut(deps, submissionId, Number(claimed.panel_id), new Date(Number(claimed.snapshot_at)));
  if (step.record.length) await deps.db.batch(step.record, 'write');
  return step.outcome;
}

type Slot = <T>(work: () => Promise<T>) => Promise<T>;

async function carryOut(deps: PipelineDeps, submissionId: number, panelId: number, snapshotAt: Date, slot: Slot = (work) => work()): Promise<Step> {
  const { db, clock, workerId } = deps;
  const expected = { status: 'Queued', claimedBy: workerId } as const;
  const prepared = await (deps.prepare ?? prepareHere(deps))(panelId, submissionId, snapshotAt);
  if (!prepared) throw new Error(`submission ${submissionId} has no panel`);
  const { patientCount, validation } = prepared;
  if (!validation.ok) {
    await failSubmission(db, clock, submissionId, expected, ruleFailure(validation, patientCount));
    return { outcome: 'invalid', record: [] };
  }

  const sent = await slot(() => prepared.send());
  deps.checkpoint?.('sent');
  if (sent.kind === 'not_sent') {
    // Refused by the portal's own message check: nothing left the clinic, nothing to audit.
    await failSubmission(db, clock, submissionId, expected, sendFailure(sent, patientCount));
    return { outcome: 'invalid', record: [] };
  }
  // Written with the state it led to, in one commit.
  const disclosed = disclosure(clock, panelId, { count: patientCount, ulis: prepared.ulis }, submissionId);
  if (sent.kind === 'accepted' || sent.kind === 'unanswered') {
    // Committed with the worker's next claim: a crash before it leaves the submission
    // Queued, and sending it again with the same Idempotency-Key gets the same reference.
    // Unanswered, Netcare may hold it: Pending without a reference, and the poll asks Netcare
    // by its key (the snapshot instant kept, so a send again carries the same message).
    return {
      outcome: sent.kind === 'accepted' ? 'pending' : 'unanswered',
      record: [...disclosed, {
        sql: `UPDATE submissions SET status = 'Pending', pending_at = ?, netcare_reference = ?, patient_count = ?,
                     snapshot_at = ?, claimed_by = NULL, claimed_until = NULL
               WHERE id = ? AND status = 'Queued' AND claimed_by = ?`,
        args: [clock.now().getTime(), sent.kind === 'accepted' ? sent.reference : null, patientCount, snapshotAt.getTime(),
          submissionId, workerId],
      }],
    };
  }
  await db.batch(disclosed, 'write');
  await failSubmission(db, clock, submissionId, expected, sendFailure(sent, patientCount));
  return { outcome: sent.kind === 'rejected' ? 'rejected' : 'unreachable', record: [] };
}

/**
 * Every submission a run sends, oldest first: those Queued by its instant (`queuedBy`) and
 * those the run queued itself. One queued after the instant waits for the next run, even
 * when this run is done late. The snapshot, though, is taken as the run happens: a late
 * run sends the panels as they stand now, as readiness shows them (a submission resumed
 * after a crash keeps the instant of its first claim, so its message is the same). Returns
 * how each ended.
 */
export async function processQueued(deps: PipelineDeps, queuedBy: Date, runId: number | null = null): Promise<Record<Outcome, number>> {
  const tally: Record<Outcome, number> = { skipped: 0, invalid: 0, pending: 0, unanswered: 0, rejected: 0, unreachable: 0 };
  const snapshotAt = deps.clock.now();
  const queued = await deps.db.execute({
    sql: "SELECT id FROM submissions WHERE status = 'Queued' AND (created_at <= ? OR run_id = ?) ORDER BY id",
    args: [queuedBy.getTime(), runId],
  });
  const ids = queued.rows.map((r) => Number(r.id));
  const sendSlot = limited(CONCURRENCY);
  let next = 0;
  // Each worker commits what its last submission became together with its next claim: one
  // commit per panel instead of two.
  const worker = async () => {
    let record: InStatement[] = [];
    while (next < ids.length && !deps.stopping?.()) {
      const id = ids[next++];
      const results = await deps.db.batch([...record, claimStatement(deps, id, snapshotAt)], 'write');
      record = [];
      const claimed = results[results.length - 1].rows[0];
      if (!claimed) {
        tally.skipped++;
        continue;
      }
      const step = await carryOut(deps, id, Number(claimed.panel_id), new Date(Number(claimed.snapshot_at)), sendSlot);
      tally[step.outcome]++;
      record = step.record;
    }
    if (record.length) await deps.db.batch(record, 'write');
  };
  // Every worker ends before a failure is reported: the caller releases this worker's
  // claims, which must not happen while a send is still in flight.
  const ended = await Promise.allSettled(Array.from({ length: Math.min(PANELS_IN_PROGRESS, ids.length) }, worker));
  const failed = ended.find((e) => e.status === 'rejected');
  if (failed) throw failed.reason;
  if (next < ids.length) throw new Stopped();
  return tally;
}

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
