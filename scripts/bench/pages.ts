// Pages under load (autocannon: 32 connections for 10 s, against a fresh server process per
// route so one route's backlog never slows the next) and the Submit POST one request at a time.
import autocannon from 'autocannon';
import { openDatabase } from '../../src/domain/database/db.ts';
import { startPageServer, type PageServer } from './processes.ts';
import { cpuSeconds } from './proc.ts';

export type Route = {
  key: string; label: string; path: string;
  /** the server leaves out the audit trail's rows per patient (their cost is this route's figure against the plain one) */
  withoutAuditPatients?: boolean;
};

export type LoadFigures = Route & {
  status: number;
  /** one request alone: the first after start, then a second one (skipped when the first is slow) */
  coldMs: number;
  warmMs: number | null;
  requestsPerSecond: number;
  p50: number | null;
  p99: number | null;
  /**
   * p50/p99 once every connection has had its first answer: at the start all 32 connect at
   * once, and while the server is saturated Node accepts them one event-loop turn at a time,
   * so the first request of some connections waits seconds before it is even read.
   */
  steadyP50: number | null;
  steadyP99: number | null;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  serverPeakRssMb: number | null;
  /**
   * CPU per answered request under load: the page server's, and the database server's on
   * sqld (null on a file). Unlike latency, it hardly moves with the machine's other load.
   */
  serverCpuMsPerRequest: number | null;
  databaseCpuMsPerRequest: number | null;
};

const CONNECTIONS = 32;
const DURATION_S = 10;

async function timedGet(server: PageServer, path: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(server.base + path, { headers: { cookie: server.cookie }, redirect: 'manual', signal: AbortSignal.timeout(600_000) });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

/** `databasePid`: sqld's process, when the pages read a libSQL server. */
export async function loadTest(dbPath: string, at: Date, route: Route, options: { cpuProfDir?: string; databasePid?: number } = {}): Promise<LoadFigures> {
  const server = await startPageServer(dbPath, at, { ...options, withoutAuditPatients: route.withoutAuditPatients });
  try {
    const cold = await timedGet(server, route.path);
    const warm = cold.ms < 5_000 ? await timedGet(server, route.path) : null;
    const steady: number[] = [];
    const answered = new Set<object>();
    const cpuBefore = [cpuSeconds(server.pid), options.databasePid ? cpuSeconds(options.databasePid) : null];
    const run = autocannon({
      url: server.base + route.path, connections: CONNECTIONS, duration: DURATION_S, timeout: DURATION_S,
      headers: { cookie: server.cookie },
    });
    run.on('response', (client, _status, _bytes, ms) => {
      if (answered.has(client)) steady.push(ms);
      else answered.add(client);
    });
    const result = await run;
    const cpuAfter = [cpuSeconds(server.pid), options.databasePid ? cpuSeconds(options.databasePid) : null];
    const perRequest = (i: number) => (cpuBefore[i] === null || cpuAfter[i] === null || !result['2xx'] ? null
      : (1000 * (cpuAfter[i]! - cpuBefore[i]!)) / result['2xx']);
    steady.sort((a, b) => a - b);
    const completed = result['2xx'];
    return {
      ...route, status: cold.status, coldMs: cold.ms, warmMs: warm?.ms ?? null,
      requestsPerSecond: completed / result.duration,
      p50: completed ? result.latency.p50 : null, p99: completed ? result.latency.p99 : null,
      steadyP50: steady.length ? percentile(steady, 0.5) : null, steadyP99: steady.length ? percentile(steady, 0.99) : null,
      completed, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
      serverPeakRssMb: server.peakRssMb(),
      serverCpuMsPerRequest: perRequest(0), databaseCpuMsPerRequest: perRequest(1),
    };
  } finally {
    await server.stop();
  }
}

export type ResubmitFigures = {
  variant: 'htmx' | 'form';
  requests: number;
  panels: number;
  p50: number;
  p99: number;
  max: number;
  unexpected: number;
};

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

/**
 * The Submit button, one request at a time across `panelIds` (htmx's fragment request, then
 * the no-JavaScript form post answered 303). Between requests, outside the timing, the panel's
 * new Queued submission is marked Failed so that its Submit is offered again.
 */
export async function resubmit(dbPath: string, at: Date, panelIds: number[], count: number): Promise<ResubmitFigures[]> {
  const server = await startPageServer(dbPath, at);
  const db = await openDatabase(`file:${dbPath}`);
  try {
    const reset = (panelId: number) => db.execute({
      sql: `UPDATE submissions SET status = 'Failed', failed_at = ?, brief_error = 'Reset by the benchmark.', recipient_notified = 0
             WHERE panel_id = ? AND status = 'Queued'`,
      args: [at.getTime(), panelId],
    });
    const post = async (panelId: number, htmx: boolean) => {
      const started = performance.now();
      const response = await fetch(`${server.base}/settings/cii-cpar/panels/${panelId}/submissions`, {
        method: 'POST', redirect: 'manual', body: '',
        headers: {
          cookie: server.cookie, origin: server.base, 'content-type': 'application/x-www-form-urlencoded',
          ...(htmx ? { 'HX-Request': 'true', 'HX-Request-Type': 'partial' } : {}),
        },
      });
      await response.arrayBuffer();
      const ms = performance.now() - started;
      // Queued, or answered otherwise (a panel not ready is asked about, with a 200 too).
      const queued = (await reset(panelId)).rowsAffected === 1;
      return { ms, ok: queued && response.status === (htmx ? 200 : 303) };
    };
    for (let i = 0; i < 10; i++) await post(panelIds[i % panelIds.length], true); // warm-up, not counted
    const figures: ResubmitFigures[] = [];
    for (const variant of ['htmx', 'form'] as const) {
      const times: number[] = [];
      let unexpected = 0;
      for (let i = 0; i < count; i++) {
        const { ms, ok } = await post(panelIds[i % panelIds.length], variant === 'htmx');
        times.push(ms);
        if (!ok) unexpected++;
      }
      times.sort((a, b) => a - b);
      figures.push({ variant, requests: count, panels: Math.min(count, panelIds.length),
        p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times[times.length - 1], unexpected });
    }
    return figures;
  } finally {
    db.close();
    await server.stop();
  }
}
