import { edmontonInstant, edmontonParts } from './edmonton.ts';
import { MONTHLY_RUN_DAY } from './send-time.ts';
import { pollPending, processQueued, type Outcome, type PipelineDeps, type PollTally } from './pipeline.ts';

export const MONTHLY_JOB = 'monthly-run';
export const QUEUED_JOB = 'queued-run';
const LAST_SEND_DAY = 21;
/** a run started more than this after its instant is recorded as late */
export const LATE_AFTER_MS = 5 * 60_000;

export type DueRun = { job: typeof MONTHLY_JOB | typeof QUEUED_JOB; scheduledFor: Date };

/**
 * The runs that should have happened by `at` and may still happen: this Edmonton month's
 * monthly run once its instant (the 15th, 21:00) has passed, and the latest 21:00 send of
 * the 1st–21st (today's or yesterday's). After the 21st nothing more is sent this month;
 * a missed run of an earlier month is not sent late into the next one.
 */
export function dueRuns(at: Date): DueRun[] {
  const { year, month, day } = edmontonParts(at);
  const due: DueRun[] = [];
  const monthly = edmontonInstant(year, month, MONTHLY_RUN_DAY, 21);
  if (monthly <= at) due.push({ job: MONTHLY_JOB, scheduledFor: monthly });
  if (day <= LAST_SEND_DAY) {
    const today = edmontonInstant(year, month, day, 21);
    const latest = today <= at ? today : day > 1 ? edmontonInstant(year, month, day - 1, 21) : null;
    if (latest && edmontonParts(latest).day !== MONTHLY_RUN_DAY) due.push({ job: QUEUED_JOB, scheduledFor: latest });
  }
  return due;
}

export type RunReport = {
  job: string;
  scheduledFor: Date;
  late: boolean;
  resumed: boolean;
  queuedByRun: number;
  outcomes: Record<Outcome, number>;
};

export type TickReport = { runs: RunReport[]; polled: PollTally };

/**
 * Everything the scheduler owes at `at`: due runs not yet done (each is a row keyed by
 * job and instant — whoever inserts it does the work, anyone else does nothing), runs a
 * crashed worker left unfinished, and the confirmation polls of Pending submissions.
 */
export async function tick(deps: PipelineDeps, at: Date = deps.clock.now()): Promise<TickReport> {
  const runs: RunReport[] = [];
  for (const due of dueRuns(at)) {
    const late = at.getTime() - due.scheduledFor.getTime() > LATE_AFTER_MS;
    const claimed = await deps.db.execute({
      sql: `INSERT INTO scheduled_runs (job, scheduled_for, started_at, late) VALUES (?, ?, ?, ?)
            ON CONFLICT (job, scheduled_for) DO NOTHING RETURNING id`,
      args: [due.job, due.scheduledFor.getTime(), deps.clock.now().getTime(), late ? 1 : 0],
    });
    if (!claimed.rows[0]) continue;
    deps.checkpoint?.('run-claimed');
    runs.push(await doRun(deps, Number(claimed.rows[0].id), due, late, false));
  }
  for (const stale of await claimStaleRuns(deps)) runs.push(await doRun(deps, stale.id, stale.due, stale.late, true));
  return { runs, polled: await pollPending(deps) };
}

async function doRun(deps: PipelineDeps, runId: number, due: DueRun, late: boolean, resumed: boolean): Promise<RunReport> {
  const queuedByRun = due.job === MONTHLY_JOB ? await queueMonthlySubmissions(deps, runId, due.scheduledFor) : 0;
  const outcomes = await processQueued(deps, due.scheduledFor, runId);
  const report: RunReport = { job: due.job, scheduledFor: due.scheduledFor, late, resumed, queuedByRun, outcomes };
  await deps.db.execute({
    sql: 'UPDATE scheduled_runs SET finished_at = ?, summary = ? WHERE id = ?',
    args: [deps.clock.now().getTime(), JSON.stringify({ queuedByRun, outcomes }), runId],
  });
  return report;
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

/** Runs whose worker stopped before finishing (a crash): taken over once the claim lapses. */
async function claimStaleRuns(deps: PipelineDeps) {
  const now = deps.clock.now().getTime();
  const stale = await deps.db.execute({
    sql: `UPDATE scheduled_runs SET started_at = ?
           WHERE finished_at IS NULL AND started_at <= ?
       RETURNING id, job, scheduled_for, late`,
    args: [now, now - (deps.claimMs ?? 5 * 60_000)],
  });
  return stale.rows.map((r) => ({
    id: Number(r.id),
    late: Number(r.late) === 1,
    due: { job: String(r.job) as DueRun['job'], scheduledFor: new Date(Number(r.scheduled_for)) },
  }));
}
