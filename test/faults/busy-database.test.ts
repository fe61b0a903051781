import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../src/cli.ts';
import { openDatabase } from '../../src/domain/database/db.ts';
import { simSubmissions } from '../netcare/support/simulator.ts';
import { cli, holdWriteLock, startSimulatorProcess, tempDir } from '../support/processes.ts';

// A portal killed during its run, and the survivor's resumed tick meeting a database whose
// write lock another process holds for longer than SQLite's busy timeout (5 s): the tick
// waits, retrying, and finishes the run instead of leaving it for the next start.
const busy = suite('a busy database does not stall a run');
const RUN = new Date('2027-03-15T21:00:00-06:00');
const at = (minutes: number) => new Date(RUN.getTime() + minutes * 60_000).toISOString();
const SHORT_CLAIMS = { CPAR_HEARTBEAT_MS: '200', CPAR_CLAIM_LAPSE_MS: '1000' };

async function clinic(env: Record<string, string>) {
  const io = { env, readStdin: async () => 'a long enough password\n', out: () => {}, err: (l: string) => assert.unreachable(l) };
  for (const args of [['migrate'], ['user', 'add', 'jsmith', '--name', 'Jan Smith'], ['import', 'db/examples/clinic-import.json']]) {
    assert.is(await runCli(args, io), 0);
  }
}

busy('the resumed tick after kill -9 waits out a 7 s write lock and finishes the run, recorded as late', async () => {
  const simulator = await startSimulatorProcess();
  try {
    const env = { DATABASE_URL: `file:${join(tempDir('busy-'), 'cpar.db')}`, NETCARE_URL: simulator.url, ...SHORT_CLAIMS };
    await clinic(env);
    const killed = cli(['tick', '--at', at(0)], { ...env, CPAR_TEST_KILL_AT: 'run-claimed' });
    assert.is(await killed.exited, 128);

    const holder = await holdWriteLock(env.DATABASE_URL, 7_000);
    const started = Date.now();
    const resumed = cli(['tick', '--at', at(6)], env);
    assert.is(await resumed.exited, 0, resumed.err());
    const waited = Date.now() - started;
    assert.is(await holder.exited, 0, holder.err());
    assert.match(resumed.out(), 'monthly-run of 2027-03-16T03:00:00.000Z (late) (resumed)');
    assert.ok(waited > 5_000, `the tick waited for the lock (${waited} ms)`);

    const confirmations = cli(['tick', '--at', at(7)], env);
    assert.is(await confirmations.exited, 0, confirmations.err());
    const db = await openDatabase(env.DATABASE_URL);
    try {
      const statuses = (await db.execute('SELECT status FROM submissions ORDER BY id')).rows.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 'Submitted').length, 2);
      assert.ok(statuses.every((s) => s === 'Submitted' || s === 'Failed'), statuses.join());
      const runs = (await db.execute("SELECT late, finished_at IS NOT NULL AS finished FROM scheduled_runs WHERE job = 'monthly-run'")).rows;
      assert.equal(runs.map((r) => [Number(r.late), Number(r.finished)]), [[1, 1]], 'finished, and recorded as late');
    } finally {
      db.close();
    }
    assert.ok((await simSubmissions(simulator.url)).every((s) => s.receivedCount === 1));
  } finally {
    await simulator.stop();
  }
});

busy.run();
