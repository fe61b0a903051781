import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../src/cli.ts';
import { openDatabase } from '../../src/domain/database/db.ts';
import { setFault, simRequests, simSubmissions } from '../netcare/support/simulator.ts';
import { freePort, run, startSimulatorProcess, startSqld, tempDir, until } from '../support/processes.ts';

// Two portals (the real server, each its own process) share one clock that reads the 15th
// at 21:00 as they start and runs at real speed; both race for the monthly run. Netcare answers in
// 1 s, so a run is caught in flight (a send is still out when the first has arrived): the test kills (SIGKILL) whichever portal holds the
// monthly run — right after it claims it, or once it has sent a panel and holds others — and
// measures the survivor finishing it once the dead one's heartbeat has stopped. Short
// settings (heartbeat 100 ms, lapse 500 ms) keep ten repetitions per database quick; the
// default settings' arithmetic (under a minute) is in config.test.ts.
const failover = suite('failover after kill -9');
const RUN = new Date('2027-03-15T21:00:00-06:00').getTime();
const REPETITIONS = 10;
const SHORT = {
  CPAR_HEARTBEAT_MS: '100', CPAR_CLAIM_LAPSE_MS: '500', NETCARE_POLL_INTERVAL_MS: '200', NODE_ENV: 'test',
  NETCARE_TIMEOUT_MS: '3000',
};
/**
 * The bound says the survivor took over after a lapse, not after the old 5-minute lease; it is
 * not a speed target (those live in the bench). Measured: 1.8–3.6 s alone; 4.2–12.8 s at load
 * 18–19 (helpers' benches beside it), when a 10.6 s bound failed although nothing was wrong.
 */
const TAKEOVER_BOUND_MS = 60_000;
/** Repetitions that may miss the run (done again) before the test fails. */
const MISSES_ALLOWED = 3;

async function clinic(env: Record<string, string>) {
  const io = { env, readStdin: async () => 'a long enough password\n', out: () => {}, err: (l: string) => assert.unreachable(l) };
  for (const args of [['migrate'], ['user', 'add', 'jsmith', '--name', 'Jan Smith'], ['import', 'db/examples/clinic-import.json']]) {
    assert.is(await runCli(args, io), 0);
  }
}

async function portal(env: Record<string, string>) {
  const port = await freePort();
  return { port, ...run(process.execPath, ['--import', 'tsx', 'src/server.ts'], { ...env, PORT: String(port) }) };
}

/** A portal answering requests: the survivor is, before the victim is killed (on a loaded machine start-up alone can take many seconds). */
async function answering(p: Awaited<ReturnType<typeof portal>>) {
  const up = async () => (await fetch(`http://127.0.0.1:${p.port}/healthz`).catch(() => null))?.ok === true;
  await until(async () => p.child.exitCode !== null || await up(), 90_000, 'a portal answering');
  assert.is(p.child.exitCode, null, p.err());
}

/** What the database held when a wait timed out: runs and submissions, for the failure message. */
async function state(db: Awaited<ReturnType<typeof openDatabase>>): Promise<string> {
  const runs = await db.execute('SELECT id, job, scheduled_for, started_at, finished_at, claimed_by, claimed_until FROM scheduled_runs');
  const subs = await db.execute('SELECT id, panel_id, status, run_id, claimed_by, claimed_until FROM submissions');
  return `runs: ${JSON.stringify(runs.rows)}\nsubmissions: ${JSON.stringify(subs.rows)}`;
}

type KillPoint = 'run claimed' | 'panel sent';

/**
 * One repetition; returns how long after the kill the survivor finished the run, or 'missed'
 * when the run was over before the kill landed (the test's own timing, not a failover: on a
 * loaded machine the other database's repetition, in this process, can hold the event loop
 * longer than a run of five panels lasts).
 */
async function repetition(databaseUrl: string, simulatorUrl: string, killPoint: KillPoint): Promise<number | 'missed'> {
  const env = { DATABASE_URL: databaseUrl, NETCARE_URL: simulatorUrl, ...SHORT };
  await clinic(env);
  const db = await openDatabase(databaseUrl);
  const installation = String((await db.execute('SELECT identifier FROM installation')).rows[0].identifier);
  const clockEnv = { ...env, CPAR_TEST_CLOCK_OFFSET_MS: String(RUN - Date.now()) };
  const portals = [await portal(clockEnv), await portal(clockEnv)];
  try {
    const holder = async () => {
      // The run's holder, or — portals share a run — the portal holding one of its panels while it sends.
      const held = (await db.execute(`SELECT coalesce(
          (SELECT claimed_by FROM scheduled_runs WHERE job = 'monthly-run' AND claimed_by IS NOT NULL),
          (SELECT claimed_by FROM submissions WHERE status = 'Queued' AND claimed_by IS NOT NULL ORDER BY id LIMIT 1)) AS held`)).rows[0]?.held ?? undefined;
      if (killPoint === 'run claimed' || held === undefined) return held;
      const sent = (await simRequests(simulatorUrl)).some((r) => r.method === 'POST' && r.idempotencyKey?.includes(installation));
      return sent ? held : undefined;
    };
    const finished = async () => Number((await db.execute(
      "SELECT count(*) AS n FROM scheduled_runs WHERE job = 'monthly-run' AND finished_at IS NOT NULL")).rows[0].n) === 1;
    // Generous: on a loaded machine the portals' start-up alone has taken over 30 s.
    let caught: unknown;
    await until(async () => (caught = await holder()) !== undefined || await finished(), 90_000, `the run's ${killPoint}`).catch(async (error) => {
      throw new Error(`${error.message}\n${await state(db)}\n${portals.map((p, i) => `portal ${i} (pid ${p.child.pid}, exit ${p.child.exitCode}):\n${p.out().slice(-1500)}\n${p.err().slice(-1500)}`).join('\n')}`);
    });
    if (caught === undefined) return await missedRun(db);
    // A worker id is host:pid:random.
    const pid = Number(String(caught).split(':')[1]);
    const victim = portals.find((p) => p.child.pid === pid)!;
    const survivor = portals.find((p) => p !== victim)!;
    assert.ok(victim, 'one of the two portals holds the run');
    await answering(survivor);
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    await victim.exited;
    if (await finished()) return await missedRun(db);
    await until(finished, TAKEOVER_BOUND_MS, 'the survivor finishing the run');
    const takeoverMs = Date.now() - killedAt;
    await until(async () => Number((await db.execute(
      "SELECT count(*) AS n FROM submissions WHERE status IN ('Submitted', 'Failed')")).rows[0].n) === 5, 30_000, 'every submission final');
    const perPanel = (await db.execute('SELECT count(*) AS n FROM submissions GROUP BY panel_id')).rows;
    assert.ok(perPanel.length === 5 && perPanel.every((r) => Number(r.n) === 1), 'one submission per CPAR panel');
    const stored = (await simSubmissions(simulatorUrl)).filter((s) => s.idempotencyKey.includes(installation));
    assert.is(stored.length, 2, 'Netcare stored each valid panel once');
    assert.is(survivor.child.exitCode, null, survivor.err());
    return takeoverMs;
  } finally {
    for (const p of portals) p.child.kill('SIGKILL');
    await Promise.all(portals.map((p) => p.exited));
    db.close();
  }
}

/** A run over before the kill: it must have ended as any run does (every panel final, once), or the test fails here. */
async function missedRun(db: Awaited<ReturnType<typeof openDatabase>>): Promise<'missed'> {
  const statuses = (await db.execute('SELECT panel_id, status FROM submissions')).rows;
  assert.is(new Set(statuses.map((r) => Number(r.panel_id))).size, 5, `one submission per CPAR panel\n${await state(db)}`);
  assert.ok(statuses.length === 5 && statuses.every((r) => r.status === 'Submitted' || r.status === 'Failed' || r.status === 'Pending'),
    `a run over before the kill ended as runs do\n${await state(db)}`);
  return 'missed';
}

function report(what: string, takeovers: number[]) {
  const sorted = [...takeovers].sort((a, b) => a - b);
  console.log(`  ${what}: takeover after kill -9 in ${sorted[0]}–${sorted[sorted.length - 1]} ms (median ${sorted[sorted.length >> 1]} ms) over ${sorted.length} repetitions`);
  for (const ms of takeovers) assert.ok(ms < TAKEOVER_BOUND_MS, `took over in ${ms} ms`);
}

async function repetitions(databases: () => Promise<{ url: string; stop(): Promise<void> }>): Promise<number[]> {
  const simulator = await startSimulatorProcess();
  try {
    await setFault(simulator.url, { mode: 'slow', slowMs: 1_000 });
    const takeovers: number[] = [];
    let missed = 0;
    while (takeovers.length < REPETITIONS) {
      const database = await databases();
      try {
        const takeover = await repetition(database.url, simulator.url, takeovers.length % 2 === 0 ? 'run claimed' : 'panel sent');
        if (takeover !== 'missed') takeovers.push(takeover);
        // Done again with a new database; a test that can never catch a run fails.
        else assert.ok(++missed <= MISSES_ALLOWED, `the run was over before the kill in ${missed} repetitions`);
      } finally {
        await database.stop();
      }
    }
    if (missed > 0) console.log(`  (${missed} repetition(s) done again: the run was over before the kill)`);
    return takeovers;
  } finally {
    await simulator.stop();
  }
}

// The file and sqld repetitions run side by side: the whole test stays near a minute.
failover(`the survivor finishes the run within a lapse: ${REPETITIONS} times on a libSQL file, ${REPETITIONS} on sqld`, async () => {
  const [file, sqld] = await Promise.all([
    repetitions(async () => ({ url: `file:${join(tempDir('failover-'), 'cpar.db')}`, stop: async () => {} })),
    repetitions(startSqld),
  ]);
  report('file', file);
  report('sqld', sqld);
});

failover.run();
