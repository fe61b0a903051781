import type { InStatement } from '@libsql/client';
import { dueRuns, MONTHLY_JOB, type DueRun } from './schedule.ts';
import { claimLapseMs, releaseClaims } from './claims.ts';
import { inServiceSince } from '../database/installation.ts';
import { lateRunNotice, recordMissedMonths } from './run-notices.ts';
import { Stopped, processQueued, type Outcome, type PipelineDeps } from './pipeline.ts';
import { pollPending, type PollTally } from './poll.ts';

export { dueRuns, MONTHLY_JOB, QUEUED_JOB, type DueRun } from './schedule.ts';

/** a run started (or, resumed, finished) more than this after its instant is recorded as late */
export const LATE_AFTER_MS = 5 * 60_000;

export type RunReport = {
  job: string;
  scheduledFor: Date;
  late: boolean;
  resumed: boolean;
  queuedByRun: number;
  outcomes: Record<Outcome, number>;
};

/**
 * stopped: the process is shutting down and a run was left at a safe point for the next portal;
 * helped: what became of the submissions this process took from a run another portal holds
 */
export type TickReport = { runs: RunReport[]; polled: PollTally; stopped?: boolean; helped?: Record<Outcome, number> };
const NOT_POLLED: PollTally = { submitted: 0, rejected: 0, unconfirmed: 0, waiting: 0 };

/**
 * Everything the scheduler owes at `at`: due runs not yet done (each is a row keyed by
 * job and instant — whoever inserts it does the work, anyone else does nothing), runs whose
 * worker stopped renewing its claim, and the confirmation polls of Pending submissions.
 * A tick that fails part-way gives its claims up, so the next poll takes the run again.
 * `poll: false` leaves Netcare alone (the scheduler's more frequent takeover checks).
 */
export async function tick(deps: PipelineDeps, at: Date = deps.clock.now(), { poll = true } = {}): Promise<TickReport> {
  const runs: RunReport[] = [];
  let helped: Record<Outcome, number> | undefined;
  try {
    for (const due of dueRuns(at, await inServiceSince(deps.db, deps.clock))) {
      if (deps.stopping?.()) break;
      const claimed = await claimDueRun(deps, due, at);
      if (claimed === null) continue;
      deps.checkpoint?.('run-claimed');
      runs.push(await doRun(deps, claimed, due, at.getTime() - due.scheduledFor.getTime() > LATE_AFTER_MS, false));
    }
    // Before the stale runs: a run whose holder finished its share while this process helped
    // is handed over (runs.ts's finish) and finished here at once.
    if (!deps.stopping?.()) helped = await helpRunsHeldElsewhere(deps);
    if (!deps.stopping?.()) {
      for (const stale of await claimStaleRuns(deps)) runs.push(await doRun(deps, stale.id, stale.due, stale.late, true));
    }
  } catch (error) {
    // Released at once: a run stopped at a safe point is resumed by the next portal without
    // waiting for its claim to lapse.
    await releaseClaims(deps).catch(() => {});
    if (error instanceof Stopped) return { runs, polled: NOT_POLLED, stopped: true, ...(helped ? { helped } : {}) };
    throw error;
  }
  // The sends are done: what preparing them held (a thread, its heap, its connection) goes
  // before the poll reads the registry's outcomes, not a minute later.
  await deps.donePreparing?.();
  return { runs, polled: poll && !deps.stopping?.() ? await pollPending(deps) : NOT_POLLED, ...(helped ? { helped } : {}) };
}

/**
 * Another portal's run in progress: this process takes a share of its Queued submissions,
 * each claimed on its own (so none is sent twice), and leaves the run to its holder to
 * finish. How several portals share a province's run. Undefined when there was none.
 */
async function helpRunsHeldElsewhere(deps: PipelineDeps): Promise<Record<Outcome, number> | undefined> {
  const held = await deps.db.execute({
    sql: `SELECT id, scheduled_for FROM scheduled_runs
           WHERE finished_at IS NULL AND claimed_by IS NOT NULL AND claimed_by <> ? AND claimed_until > ? ORDER BY id`,
    args: [deps.workerId, deps.clock.now().getTime()],
  });
  let tally: Record<Outcome, number> | undefined;
  for (const run of held.rows) {
    const outcomes = await processQueued(deps, new Date(Number(run.scheduled_for)), Number(run.id));
    tally = tally ? sumOutcomes(tally, outcomes) : outcomes;
  }
  return tally;
}

function sumOutcomes(a: Record<Outcome, number>, b: Record<Outcome, number>): Record<Outcome, number> {
  return Object.fromEntries(Object.entries(a).map(([k, n]) => [k, n + b[k as Outcome]])) as Record<Outcome, number>;
}

/**
 * Inserts the run's row, claimed by this worker; null when it exists already. A daily send
 * is recorded only when something Queued waits for it: a portal starting on a quiet day
 * records no empty run.
 */
async function claimDueRun(deps: PipelineDeps, due: DueRun, at: Date): Promise<number | null> {
  const now = deps.clock.now().getTime();
  const late = at.getTime() - due.scheduledFor.getTime() > LATE_AFTER_MS;
  const waiting = due.job === MONTHLY_JOB
    ? ''
    : "AND EXISTS (SELECT 1 FROM submissions WHERE status = 'Queued' AND run_id IS NULL AND created_at <= ?2)";
  const claim: InStatement = {
    sql: `INSERT INTO scheduled_runs (job, scheduled_for, started_at, late, claimed_by, claimed_until)
          SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE 1 ${waiting}
          ON CONFLICT (job, scheduled_for) DO NOTHING RETURNING id`,
    args: [due.job, due.scheduledFor.getTime(), now, late ? 1 : 0, deps.workerId, now + claimLapseMs(deps)],
  };
  const claimed = await deps.db.execute(claim);
  return claimed.rows[0] ? Number(claimed.rows[0].id) : null;
}

async function doRun(deps: PipelineDeps, runId: number, due: DueRun, late: boolean, resumed: boolean): Promise<RunReport> {
  if (due.job === MONTHLY_JOB) await recordMissedMonths(deps.db, deps.clock, due.scheduledFor, await inServiceSince(deps.db, deps.clock));
  const queuedByRun = due.job === MONTHLY_JOB ? await queueMonthlySubmissions(deps, runId, due.scheduledFor) : 0;
  const outcomes = await processQueued(deps, due.scheduledFor, runId);
  const now = deps.clock.now().getTime();
  // A resumed run that ends long after its instant was late too, however it started.
  const lateNow = late || (resumed && now - due.scheduledFor.getTime() > LATE_AFTER_MS);
  // Submissions another portal took while helping are still its own to finish: the run is then
  // handed over (claim given up) rather than finished, and whoever ticks next resumes and
  // finishes it — at once the helper itself (tick), or anyone once a dead helper's claims lapse.
  await deps.db.batch([
    {
      sql: `UPDATE scheduled_runs SET finished_at = ?, summary = ?, late = ?, claimed_by = NULL, claimed_until = NULL
             WHERE id = ? AND finished_at IS NULL
               -- work still to do that another worker holds (or held, and died): a panel it can be sent for
               AND NOT EXISTS (SELECT 1 FROM submissions s JOIN panels p ON p.id = s.panel_id
                                WHERE s.status = 'Queued' AND s.claimed_by <> ? AND (s.run_id = ? OR s.created_at <= ?)
                                  AND p.active = 1 AND p.cpar_enabled = 1)`,
      args: [now, JSON.stringify({ queuedByRun, outcomes }), lateNow ? 1 : 0, runId, deps.workerId, runId, due.scheduledFor.getTime()],
    },
    {
      sql: 'UPDATE scheduled_runs SET claimed_by = NULL, claimed_until = ? WHERE id = ? AND finished_at IS NULL AND claimed_by = ?',
      args: [now, runId, deps.workerId],
    },
    // only once the run is finished: by this batch, or later by whoever finishes it
    ...(due.job === MONTHLY_JOB ? [lateRunNotice(deps.clock, runId, due.scheduledFor)] : []),
  ], 'write');
  return { job: due.job, scheduledFor: due.scheduledFor, late: lateNow, resumed, queuedByRun, outcomes };
}

/**
 * One scheduled submission per active CPAR panel. A panel already Queued is taken as it is
 * (and joins this run) and one in flight (Pending) is left alone: the unique index keeps one
 * open per panel. Safe to repeat when a crashed run is resumed: a panel that already has a
 * submission in this run gets no second one.
 */
async function queueMonthlySubmissions(deps: PipelineDeps, runId: number, scheduledFor: Date): Promise<number> {
  const [, inserted] = await deps.db.batch(
    [
      {
        sql: "UPDATE submissions SET run_id = ? WHERE status = 'Queued' AND run_id IS NULL AND created_at <= ?",
        args: [runId, scheduledFor.getTime()],
      },
      {
        sql: `INSERT INTO submissions (panel_id, status, created_at, trigger, run_id)
              SELECT p.id, 'Queued', ?, 'scheduled', ?
                FROM panels p
               WHERE p.active = 1 AND p.cpar_enabled = 1
                 AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.panel_id = p.id
                                    AND (s.status IN ('Queued', 'Pending') OR s.run_id = ?))
              ON CONFLICT DO NOTHING`,
        args: [deps.clock.now().getTime(), runId, runId],
      },
    ],
    'write',
  );
  return inserted.rowsAffected;
}

/** Runs whose worker stopped renewing its claim (a crash, or a tick that gave up): taken over. */
async function claimStaleRuns(deps: PipelineDeps) {
  const now = deps.clock.now().getTime();
  const stale = await deps.db.execute({
    // Only once the dead worker's submission claims have lapsed too (one may have been taken
    // after its last heartbeat): a submission still held would be skipped and left Queued.
    sql: `UPDATE scheduled_runs SET claimed_by = ?1, claimed_until = ?2
           WHERE finished_at IS NULL AND claimed_until <= ?3
             AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.status = 'Queued' AND s.claimed_until > ?3
                                AND (s.claimed_by = scheduled_runs.claimed_by
                                     -- handed over (doRun): once the other portals' claims on its panels are done or lapsed
                                     OR (scheduled_runs.claimed_by IS NULL AND s.claimed_by <> ?1
                                         AND (s.run_id = scheduled_runs.id OR s.created_at <= scheduled_runs.scheduled_for))))
       RETURNING id, job, scheduled_for, late`,
    args: [deps.workerId, now + claimLapseMs(deps), now],
  });
  return stale.rows.map((r) => ({
    id: Number(r.id),
    late: Number(r.late) === 1,
    due: { job: String(r.job) as DueRun['job'], scheduledFor: new Date(Number(r.scheduled_for)) },
  }));
}
