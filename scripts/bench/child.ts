// One measured task in a process of its own, so its peak RSS (VmHWM) and CPU are its alone:
//   node --import tsx scripts/bench/child.ts <floor|readiness|run|demo> '<json options>'
// Prints one line "BENCH-RESULT {json}" for processes.ts.
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { openDatabase, type Db } from '../../src/domain/database/db.ts';
import { retryWhenBusy } from '../../src/domain/database/busy-retry.ts';
import { installationId } from '../../src/domain/database/installation.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import type { PipelineDeps } from '../../src/domain/pipeline/pipeline.ts';
import { readinessOfCparPanels } from '../../src/domain/panels/readiness.ts';
import { tick, type TickReport } from '../../src/domain/pipeline/runs.ts';
import { seedDemo } from '../../src/domain/demo/demo-seed.ts';
import { adapt } from '../../src/netcare-connection.ts';
import { sendDemoSubmissions } from '../../src/run-pipeline.ts';
import { workerId } from '../../src/worker-id.ts';
import { panelPreparation } from '../../src/preparer/panels.ts';
import { floorPasses, measureFloor } from './floor.ts';
import { peakRssMb, resetPeakRss, sampleRss, threadIds, threadTimes } from './proc.ts';
import { printResult } from './processes.ts';

type Options = { db: string; at: string; simulator?: string; seededAt?: string; worker?: string };

/** A database path, or the URL of a libSQL server as it is. */
const urlOf = (db: string) => (db.includes('://') ? db : `file:${db}`);

/** The pipeline's dependencies as src/run-pipeline.ts builds them, against the simulator process. */
async function pipelineDeps(db: Db, databaseUrl: string, clock: ManualClock, simulatorUrl: string): Promise<PipelineDeps> {
  const config = loadConfig({ NODE_ENV: 'test' });
  const netcare = adapt(simulatorUrl, `Netcare simulator at ${simulatorUrl}`, await installationId(db), {
    timeoutMs: config.netcareTimeoutMs, retryBudgetMs: config.netcareRetryBudgetMs,
  });
  // As openPipeline does: panels written from their members' columns (a file's read through the native driver).
  const preparation = panelPreparation(db, databaseUrl, netcare);
  // As openPipeline does: a write waits out another portal's write lock (sqld answers busy at
  // once) instead of failing the tick.
  return { db: retryWhenBusy(db), clock, netcare, workerId: workerId(), prepare: preparation.prepare, donePreparing: preparation.release };
}

/**
 * One of several portals doing the run, as their schedulers would: ticks at the run's instant
 * (the first claims the run; the others help with it, or finish it once it is handed over)
 * until the run is finished, then one with the confirmation poll.
 */
async function sharedRun(db: Db, databaseUrl: string, at: Date, simulator: string) {
  const deps = await pipelineDeps(db, databaseUrl, new ManualClock(at), simulator);
  const finished = async () => (await db.execute({
    sql: "SELECT count(*) AS n FROM scheduled_runs WHERE job = 'monthly-run' AND scheduled_for = ? AND finished_at IS NOT NULL", args: [at.getTime()],
  })).rows[0].n === 1;
  const startedAt = Date.now();
  const failures: string[] = [];
  // As the scheduler does: a tick that fails (its claims given up) is tried again.
  const tickOnce = async (poll: boolean) => {
    try {
      return await tick(deps, at, { poll });
    } catch (error) {
      failures.push(String(error));
      return null;
    }
  };
  const run = await measured(async () => {
    const reports: (TickReport | null)[] = [];
    while (true) {
      reports.push(await tickOnce(false));
      if (await finished()) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    do reports.push(await tickOnce(true));
    while (reports[reports.length - 1] === null);
    return reports.filter((r) => r !== null);
  });
  const { value: reports, ...figures } = run;
  const sent = (o: Record<string, number> | undefined) => o?.pending ?? 0;
  return {
    ...figures, startedAt, endedAt: Date.now(), worker: deps.workerId,
    ownRun: reports.flatMap((r) => r.runs).map((r) => ({ resumed: r.resumed, sent: sent(r.outcomes), outcomes: r.outcomes })),
    helpedSent: reports.reduce((n, r) => n + sent(r.helped), 0),
    confirmed: reports.reduce((n, r) => n + r.polled.submitted, 0),
    failedTicks: failures.length, firstFailure: failures[0] ?? null,
  };
}

const round = (v: number) => Math.round(v * 100) / 100;

/** Runs `work` with this process's peak RSS reset first and sampled every 50 ms. */
async function measured<T>(work: () => Promise<T>) {
  const peakReset = resetPeakRss();
  const sampler = sampleRss(50);
  const cpuBefore = process.cpuUsage();
  const timesBefore = new Map(threadIds().map((tid) => [tid, threadTimes(tid)]));
  // A thread may end before the work does (V8's and libuv's helpers come and go): each
  // thread's times are read every 200 ms, and an ended one counts as last seen.
  const lastSeen = new Map<number, { name: string; user: number; system: number }>();
  const look = () => {
    for (const tid of threadIds()) {
      const times = threadTimes(tid);
      if (times) lastSeen.set(tid, times);
    }
  };
  const watcher = setInterval(look, 200);
  watcher.unref();
  const started = performance.now();
  const value = await work();
  clearInterval(watcher);
  look();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const spent = [...lastSeen].map(([tid, now]) => {
    const before = timesBefore.get(tid);
    return { tid, name: now.name, user: now.user - (before?.user ?? 0), system: now.system - (before?.system ?? 0) };
  });
  // The busiest thread bounds the wall time however many cores there are.
  const threads = spent.map((t) => ({ main: t.tid === process.pid, seconds: t.user + t.system }));
  // Where the process's CPU went, by thread (one that ended as last seen, up to 200 ms short).
  const alive = new Set(threadIds());
  const byThread = spent.filter((t) => t.user + t.system >= 0.05).map((t) => ({
    name: t.tid === process.pid ? 'main' : alive.has(t.tid) ? t.name : `${t.name} (ended)`,
    user: round(t.user), system: round(t.system),
  })).sort((a, b) => b.user + b.system - (a.user + a.system));
  const sampled = sampler.stop();
  return {
    value, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainThreadCpuSeconds: threads.find((t) => t.main)?.seconds ?? null,
    busiestThreadCpuSeconds: threads.length ? Math.max(...threads.map((t) => t.seconds)) : null,
    threads: byThread, userCpuSeconds: cpu.user / 1e6, systemCpuSeconds: cpu.system / 1e6,
    // VmHWM is exact; when it could not be reset it includes the set-up before the task.
    peakRssMb: peakReset ? peakRssMb() : null, sampledPeakRssMb: sampled.peakMb, rssSamples: sampled.samples,
  };
}

async function patientsSent(db: Db, runIds: number[]) {
  const r = await db.execute({
    sql: `SELECT count(*) AS submissions, coalesce(sum(patient_count), 0) AS patients,
                 coalesce(sum(CASE WHEN status IN ('Pending', 'Submitted') THEN patient_count END), 0) AS sent
            FROM submissions WHERE run_id IN (SELECT value FROM json_each(?))`,
    args: [JSON.stringify(runIds)],
  });
  const problems = await db.execute({
    sql: `SELECT count(*) AS n FROM submission_problems WHERE submission_id IN
            (SELECT id FROM submissions WHERE run_id IN (SELECT value FROM json_each(?)))`,
    args: [JSON.stringify(runIds)],
  });
  return { submissions: Number(r.rows[0].submissions), patients: Number(r.rows[0].patients),
    patientsSent: Number(r.rows[0].sent), problemsRecorded: Number(problems.rows[0].n) };
}

async function monthlyRun(db: Db, databaseUrl: string, at: Date, simulator: string) {
  const clock = new ManualClock(at);
  const deps = await pipelineDeps(db, databaseUrl, clock, simulator);
  const run = await measured(() => tick(deps, at));
  const runIds = (await db.execute({
    sql: 'SELECT id FROM scheduled_runs WHERE scheduled_for = ?', args: [at.getTime()],
  })).rows.map((r) => Number(r.id));
  const counts = await patientsSent(db, runIds);
  const { value: report, ...figures } = run;
  return {
    ...figures, ...counts,
    patientsPerSecond: counts.patients / run.seconds,
    runs: report.runs.map((r) => ({ job: r.job, queuedByRun: r.queuedByRun, outcomes: r.outcomes })),
    polled: report.polled,
  };
}

const tasks: Record<string, (o: Options) => Promise<object>> = {
  async floor(o) {
    return measureFloor(o.db, new Date(o.at));
  },

  /** The floor's two passes again, right after the run: did the machine's speed move meanwhile? */
  async 'floor-again'(o) {
    return floorPasses(o.db, new Date(o.at));
  },

  /**
   * Every panel's readiness the first time in a day, what was kept the day before carried
   * forward (the figure); before it, the day before's with nothing kept at all (a new
   * installation, or the clinic's limits just changed); after it, asked again the same day.
   * A week after the run's day: the dataset's records end on that day (so the day before it
   * would see the day's records as in the future) and its visits begin three years before it
   * (so the days right after it have none at the three-year cutoff, as a clinic's every day has).
   */
  async readiness(o) {
    const db = await openDatabase(`file:${o.db}`);
    const day = 86_400_000;
    const today = new Date(new Date(o.at).getTime() + 8 * day);
    const nothingKept = await measured(() => readinessOfCparPanels(db, new Date(today.getTime() - day)));
    const result = await measured(() => readinessOfCparPanels(db, today));
    const { value: readiness, ...figures } = result;
    const failing = [...readiness.values()].filter((v) => !v.ok).length;
    const again = await measured(() => readinessOfCparPanels(db, today));
    return { ...figures, panels: readiness.size, failing, againSeconds: again.seconds,
      nothingKept: { seconds: nothingKept.seconds, cpuSeconds: nothingKept.cpuSeconds } };
  },

  async run(o) {
    const db = await openDatabase(urlOf(o.db));
    return monthlyRun(db, urlOf(o.db), new Date(o.at), o.simulator!);
  },

  /** One of two portals doing the run together (--database sqld). */
  async 'shared-run'(o) {
    const db = await openDatabase(urlOf(o.db));
    return sharedRun(db, urlOf(o.db), new Date(o.at), o.simulator!);
  },

  /** The demo clinic as `npm start` creates it, then its next monthly run. */
  async demo(o) {
    const db = await openDatabase(`file:${o.db}`);
    await migrate(db);
    const clock = new ManualClock(o.seededAt!);
    const demo = await seedDemo(db, clock);
    await sendDemoSubmissions(await pipelineDeps(db, `file:${o.db}`, clock, o.simulator!), demo.sendNow);
    return monthlyRun(db, `file:${o.db}`, new Date(o.at), o.simulator!);
  },
};

const [task, json] = process.argv.slice(2);
if (!tasks[task]) {
  console.error(`usage: child.ts <${Object.keys(tasks).join('|')}> '<json options>'`);
  process.exit(2);
}
printResult(await tasks[task](JSON.parse(json) as Options));
process.exit(0);
