import { Cron } from 'croner';
import { TIME_ZONE } from '../domain/time/edmonton.ts';
import { SEND_PATTERN } from '../domain/pipeline/send-time.ts';
import { tick, type TickReport } from '../domain/pipeline/runs.ts';
import type { PipelineDeps } from '../domain/pipeline/pipeline.ts';
import { startHeartbeat } from './heartbeat.ts';
import { startUliLookup } from './uli-lookup.ts';
import { databaseTrouble, type DatabaseTrouble } from '../domain/database/trouble.ts';

/** Ticks that failed one after another, since the first of them (null after a tick that worked). */
export type Failing = { since: Date; ticks: number; trouble: DatabaseTrouble | null };

/** lastBeat: when its heartbeat last renewed this process's claims (what /readyz looks at) */
export type Scheduler = { stop(): Promise<void>; idle(): Promise<void>; lastBeat(): Date; failing(): Failing | null };

export type SchedulerOptions = {
  /** how often Pending submissions are checked with Netcare */
  pollIntervalMs: number;
  /** how often this process renews its claims, and looks for runs whose claims lapsed */
  heartbeatMs: number;
  log: (report: TickReport) => void;
  /** a tick that failed (it is logged, and tried again at the next interval) */
  failed?: (error: unknown) => void;
  /** how often the audit trail's new entries are taken into its ULI lookup (10 s unless set) */
  uliLookupMs?: number;
};

/**
 * croner fires the 21:00 sends (Edmonton, 1st–21st); an interval of one heartbeat catches up
 * a missed run and takes over one whose worker died, and polls Netcare every
 * `pollIntervalMs`. Every `uliLookupMs` the audit trail's ULI lookup catches up.
 * All call the same tick; ticks never overlap in one process, the database
 * keeps two processes apart, and a tick that failed is tried again at the next interval.
 */
export function startScheduler(pipeline: PipelineDeps, options: SchedulerOptions): Scheduler {
  let stopping = false;
  // A run in progress stops at its next safe point once stop() is called.
  const deps: PipelineDeps = { ...pipeline, stopping: () => stopping };
  let running: Promise<void> | null = null;
  let again = false;
  let lastPoll = -Infinity;
  let failing: Failing | null = null;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    if (stopping) return Promise.resolve();
    const poll = Date.now() - lastPoll >= options.pollIntervalMs;
    if (poll) lastPoll = Date.now();
    running = tick(deps, deps.clock.now(), { poll })
      .then((report) => {
        failing = null;
        options.log(report);
      }, (error) => {
        failing = { since: failing?.since ?? new Date(), ticks: (failing?.ticks ?? 0) + 1, trouble: databaseTrouble(error) };
        options.failed?.(error);
        console.error(JSON.stringify({ level: 'error', msg: 'scheduler tick failed', error: String(error) }));
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void run();
        }
      });
    return running;
  };
  const heartbeat = startHeartbeat(deps, options.heartbeatMs);
  const lookup = startUliLookup(deps.db, options.uliLookupMs ?? 10_000);
  const cron = new Cron(SEND_PATTERN, { timezone: TIME_ZONE }, () => void run());
  const interval = setInterval(() => void run(), Math.min(options.pollIntervalMs, options.heartbeatMs));
  void run();
  return {
    async stop() {
      stopping = true;
      cron.stop();
      clearInterval(interval);
      await running;
      await heartbeat.stop();
      await lookup.stop();
    },
    idle: async () => {
      while (running) await running;
    },
    lastBeat: () => heartbeat.lastBeat(),
    failing: () => failing,
  };
}

/** One line a tick writes to the log: counts only, never patient data. */
export function describeTick(report: TickReport): string | null {
  const polled = report.polled;
  const helped = report.helped && Object.values(report.helped).some((n) => n > 0) ? { helped: report.helped } : {};
  if (!report.runs.length && !polled.submitted && !polled.rejected && !polled.unconfirmed && !report.stopped && !('helped' in helped)) return null;
  return JSON.stringify({
    level: 'info',
    msg: 'scheduler tick',
    runs: report.runs.map((r) => ({ job: r.job, scheduledFor: r.scheduledFor.toISOString(), late: r.late, resumed: r.resumed, queuedByRun: r.queuedByRun, ...r.outcomes })),
    polled,
    ...helped,
    ...(report.stopped ? { stopped: 'a run was left at a safe point for the next portal to resume' } : {}),
  });
}
