import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Netcare, SendOutcome } from '../submissions/netcare.ts';
import { extractPanel } from './extraction.ts';
import { validatePanel, type Validation } from '../panels/validation.ts';
import { failureStatements } from '../submissions/failures.ts';
import { disclosure, ruleFailure, sendFailure } from '../submissions/send-outcome.ts';
import type { InStatement } from '@libsql/client';
import { claimLapseMs } from './claims.ts';
import { CONCURRENCY, limited } from './concurrency.ts';

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
   * Extraction, validation and the message, written from the members' columns
   * (src/preparer/panels.ts); from a snapshot through the Netcare port when absent.
   */
  prepare?: PreparePanel;
  /** the tick's sends are done: what `prepare` holds may be let go (opened again when needed) */
  donePreparing?: () => Promise<void>;
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

/** unanswered: Pending without a reference, Netcare may hold it; unreachable: certainly not received */
export type Outcome = 'skipped' | 'invalid' | 'pending' | 'unanswered' | 'rejected' | 'unreachable';

/**
 * Panels a run works on at once: twice the requests to Netcare, so that the next panels are
 * being prepared while others are being sent (the sends themselves stay at CONCURRENCY).
 */
const PANELS_IN_PROGRESS = 2 * CONCURRENCY;
/** Submissions claimed in one commit: as many as the panels in progress. */
const CLAIMED_AT_ONCE = PANELS_IN_PROGRESS;

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
  // A failure is committed like a send's record: with the run's next claims.
  if (!validation.ok) {
    return { outcome: 'invalid', record: await failureStatements(db, clock, submissionId, expected, ruleFailure(validation, patientCount)) };
  }

  const sent = await slot(() => prepared.send());
  deps.checkpoint?.('sent');
  if (sent.kind === 'not_sent') {
    // Refused by the portal's own message check: nothing left the clinic, nothing to audit.
    return { outcome: 'invalid', record: await failureStatements(db, clock, submissionId, expected, sendFailure(sent, patientCount)) };
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
  return {
    outcome: sent.kind === 'rejected' ? 'rejected' : 'unreachable',
    record: [...disclosed, ...await failureStatements(db, clock, submissionId, expected, sendFailure(sent, patientCount))],
  };
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
  // Claimed, not yet taken up by a worker; and what the panels done since the last commit
  // became. Both go in one commit: what the last panels became with the claims of the next
  // few, a few commits per run of thousands of panels instead of one or two per panel (each
  // commit is a sync to disk). A crash before it leaves those submissions Queued, to be sent
  // again with the same Idempotency-Key, as for one.
  const claimed: { id: number; panelId: number; snapshotAt: Date }[] = [];
  let record: InStatement[] = [];
  let claiming: Promise<void> | null = null;
  const claimMore = async () => {
    const chunk = ids.slice(next, next + CLAIMED_AT_ONCE);
    next += chunk.length;
    const recorded = record;
    record = [];
    const results = await deps.db.batch([...recorded, ...chunk.map((id) => claimStatement(deps, id, snapshotAt))], 'write')
      .catch((error: unknown) => {
        record = [...recorded, ...record]; // tried again at the end
        throw error;
      });
    chunk.forEach((id, i) => {
      const row = results[recorded.length + i].rows[0];
      if (row) claimed.push({ id, panelId: Number(row.panel_id), snapshotAt: new Date(Number(row.snapshot_at)) });
      else tally.skipped++;
    });
  };
  const nextClaimed = async () => {
    // A claim in flight may bring work for every worker waiting, even when it took the last ids.
    while (!claimed.length && (claiming || (next < ids.length && !deps.stopping?.()))) {
      claiming ??= claimMore().finally(() => (claiming = null));
      await claiming;
    }
    return deps.stopping?.() ? undefined : claimed.shift();
  };
  const worker = async () => {
    for (let c = await nextClaimed(); c; c = await nextClaimed()) {
      const step = await carryOut(deps, c.id, c.panelId, c.snapshotAt, sendSlot);
      tally[step.outcome]++;
      record.push(...step.record);
    }
  };
  // Every worker ends before a failure is reported: the caller releases this worker's
  // claims, which must not happen while a send is still in flight. What the finished panels
  // became is committed first, whatever happened to the others.
  const ended = await Promise.allSettled(Array.from({ length: Math.min(PANELS_IN_PROGRESS, ids.length) }, worker));
  const failed = ended.find((e) => e.status === 'rejected');
  try {
    if (record.length) await deps.db.batch(record, 'write');
  } catch (error) {
    if (!failed) throw error;
  }
  if (failed) throw failed.reason;
  // Claimed but not begun: released by the caller with this worker's other claims.
  if (next < ids.length || claimed.length) throw new Stopped();
  return tally;
}
