// What the portal reports to Prometheus (prom-client): requests by route and status, runs and
// their outcomes, submissions by status, Netcare's latency and errors, inbox messages. Counts
// and durations only — never a patient, a panel's name or a URL with an id in it.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../domain/database/db.ts';
import type { TickReport } from '../domain/pipeline/runs.ts';
import { diskFreeBytes } from './disk-watch.ts';

export type Metrics = ReturnType<typeof createMetrics>;

/** `databaseFile`: the database's file, when it is one (the room on its disk is reported). */
export function createMetrics(db: Db, databaseFile?: string | null) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'cpar_http_requests_total', help: 'HTTP requests answered, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const, registers: [registry],
  });
  const latency = new Histogram({
    name: 'cpar_http_request_duration_seconds', help: 'Time to answer an HTTP request, by route pattern and method.',
    labelNames: ['route', 'method'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
  });
  const runs = new Counter({
    name: 'cpar_runs_total', help: 'Scheduled runs carried out, by job (monthly-run, daily-send) and whether late or resumed.',
    labelNames: ['job', 'late', 'resumed'] as const, registers: [registry],
  });
  const runOutcomes = new Counter({
    name: 'cpar_run_submissions_total', help: 'Submissions a run took, by job and how each ended (pending, invalid, rejected, ...).',
    labelNames: ['job', 'outcome'] as const, registers: [registry],
  });
  const confirmations = new Counter({
    name: 'cpar_confirmation_polls_total', help: 'Pending submissions checked with Netcare, by what the check found.',
    labelNames: ['result'] as const, registers: [registry],
  });
  const netcare = new Histogram({
    name: 'cpar_netcare_request_duration_seconds', help: 'One call to Netcare (send, status, lookup, retries included), by call and outcome.',
    labelNames: ['call', 'outcome'] as const, buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry],
  });
  const netcareErrors = new Counter({
    name: 'cpar_netcare_errors_total', help: 'Calls to Netcare that ended without an answer or with an error, by call and outcome.',
    labelNames: ['call', 'outcome'] as const, registers: [registry],
  });
  const tickFailures = new Counter({
    name: 'cpar_scheduler_tick_failures_total', help: 'Scheduler ticks that failed (each is logged and tried again at the next interval).',
    registers: [registry],
  });
  if (databaseFile) {
    new Gauge({
      name: 'cpar_database_disk_free_bytes', help: 'Room left on the disk that holds the database file (for it and its WAL to grow).',
      registers: [registry],
      collect() {
        this.set(diskFreeBytes(databaseFile));
      },
    });
  }
  // Read from the database when scraped: every portal process reports the same shared figures.
  new Gauge({
    name: 'cpar_submissions', help: 'Submissions in the database, by status.', labelNames: ['status'] as const, registers: [registry],
    async collect() {
      const rows = (await db.execute('SELECT status, count(*) AS n FROM submissions GROUP BY status')).rows;
      this.reset();
      for (const status of ['Queued', 'Pending', 'Submitted', 'Failed']) this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0));
    },
  });
  new Gauge({
    name: 'cpar_inbox_messages', help: 'Messages put in users\' inboxes (failure notices and run notices), and how many are unread.',
    labelNames: ['state'] as const, registers: [registry],
    async collect() {
      const r = (await db.execute('SELECT count(*) AS n, count(*) FILTER (WHERE read_at IS NULL) AS unread FROM inbox_messages')).rows[0];
      this.set({ state: 'all' }, Number(r.n));
      this.set({ state: 'unread' }, Number(r.unread));
    },
  });

  return {
    registry,
    request(route: string, method: string, status: number, seconds: number) {
      requests.inc({ route, method, status: String(status) });
      latency.observe({ route, method }, seconds);
    },
    tick(report: TickReport) {
      for (const run of report.runs) {
        runs.inc({ job: run.job, late: String(run.late), resumed: String(run.resumed) });
        for (const [outcome, n] of Object.entries(run.outcomes)) if (n) runOutcomes.inc({ job: run.job, outcome }, n);
      }
      for (const [result, n] of Object.entries(report.polled)) if (n) confirmations.inc({ result }, n);
    },
    tickFailed() {
      tickFailures.inc();
    },
    netcare(call: string, outcome: string, seconds: number, failed: boolean) {
      netcare.observe({ call, outcome }, seconds);
      if (failed) netcareErrors.inc({ call, outcome });
    },
  };
}
