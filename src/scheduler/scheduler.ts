import { Cron } from 'croner';
import { TIME_ZONE } from '../domain/edmonton.ts';
import { SEND_PATTERN } from '../domain/send-time.ts';
import { tick, type TickReport } from '../domain/runs.ts';
import type { PipelineDeps } from '../domain/pipeline.ts';

export type Scheduler = { stop(): Promise<void>; idle(): Promise<void> };

/**
 * croner fires the 21:00 sends (Edmonton, 1st–21st); a short interval polls Netcare for
 * confirmations and catches up a run missed while the portal was down. Both call the same
 * tick; ticks never overlap in one process, and the database keeps two processes apart.
 */
export function startScheduler(deps: PipelineDeps, options: { pollIntervalMs: number; log: (report: TickReport) => void }): Scheduler {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = tick(deps)
      .then(options.log, (error) => console.error(JSON.stringify({ level: 'error', msg: 'scheduler tick failed', error: String(error) })))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void run();
        }
      });
    return running;
  };
  const cron = new Cron(SEND_PATTERN, { timezone: TIME_ZONE, name: 'cpar-send' }, () => void run());
  const interval = setInterval(() => void run(), options.pollIntervalMs);
  void run();
  return {
    async stop() {
      cron.stop();
      clearInterval(interval);
      await running;
    },
    idle: async () => {
      while (running) await running;
    },
  };
}

/** One line a tick writes to the log: counts only, never patient data. */
export function describeTick(report: TickReport): string | null {
  const polled = report.polled;
  if (!report.runs.length && !polled.submitted && !polled.rejected && !polled.unconfirmed) return null;
  return JSON.stringify({
    level: 'info',
    msg: 'scheduler tick',
    runs: report.runs.map((r) => ({ job: r.job, scheduledFor: r.scheduledFor.toISOString(), late: r.late, resumed: r.resumed, queuedByRun: r.queuedByRun, ...r.outcomes })),
    polled,
  });
}
