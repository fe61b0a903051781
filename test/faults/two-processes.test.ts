import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase } from '../../src/domain/database/db.ts';
import { runCli } from '../../src/cli.ts';
import { simSubmissions } from '../netcare/support/simulator.ts';
import { cli, startSimulatorProcess, startSqld, tempDir } from '../support/processes.ts';

// Two portal processes on one database, both doing the scheduler's work of the 15th at 21:00
// at the same moment: exactly one monthly run (started by one of them), one submission per
// panel, one send each.
const twoProcesses = suite('two portal processes on one database');
const RUN = '2027-03-15T21:00:00-06:00';

async function prepare(env: Record<string, string>) {
  const io = { env, readStdin: async () => 'a long enough password\n', out: () => {}, err: (l: string) => assert.unreachable(l) };
  for (const args of [['migrate'], ['user', 'add', 'jsmith', '--name', 'Jan Smith'], ['import', 'db/examples/clinic-import.json']]) {
    assert.is(await runCli(args, io), 0);
  }
}

async function bothTick(env: Record<string, string>) {
  const [a, b] = [cli(['tick', '--at', RUN], env), cli(['tick', '--at', RUN], env)];
  const codes = await Promise.all([a.exited, b.exited]);
  assert.equal(codes, [0, 0], a.err() + b.err());
  // Portals share a run (runs.ts): the other may send some of its panels and, when it holds the
  // last of them as the starter finishes, resume the handed-over run to finish it ("(resumed)").
  const outs = [a.out(), b.out()];
  const started = outs.filter((out) => out.split('\n').some((line) => line.includes('monthly-run of') && !line.includes('(resumed)')));
  assert.is(started.length, 1, `only one process started the monthly run:\n${outs.join('\n')}`);
}

async function check(databaseUrl: string, simulatorUrl: string) {
  const db = await openDatabase(databaseUrl);
  try {
    const runs = (await db.execute("SELECT count(*) AS n FROM scheduled_runs WHERE job = 'monthly-run'")).rows[0].n;
    assert.is(Number(runs), 1);
    const perPanel = (await db.execute('SELECT panel_id, count(*) AS n FROM submissions GROUP BY panel_id')).rows;
    assert.is(perPanel.length, 5);
    assert.ok(perPanel.every((r) => Number(r.n) === 1), 'one submission per CPAR panel');
    const sent = await simSubmissions(simulatorUrl);
    assert.is(sent.length, 2, 'the two valid panels reached Netcare');
    assert.ok(sent.every((s) => s.receivedCount === 1), 'each was sent once');
  } finally {
    db.close();
  }
}

twoProcesses('on a libSQL file', async () => {
  const simulator = await startSimulatorProcess();
  try {
    const env = { DATABASE_URL: `file:${join(tempDir('two-file-'), 'cpar.db')}`, NETCARE_URL: simulator.url };
    await prepare(env);
    await bothTick(env);
    await check(env.DATABASE_URL, simulator.url);
  } finally {
    await simulator.stop();
  }
});

twoProcesses('on a real libSQL server (sqld)', async () => {
  const simulator = await startSimulatorProcess();
  const sqld = await startSqld();
  try {
    const env = { DATABASE_URL: sqld.url, NETCARE_URL: simulator.url };
    await prepare(env);
    await bothTick(env);
    await check(env.DATABASE_URL, simulator.url);
  } finally {
    await simulator.stop();
    await sqld.stop();
  }
});

twoProcesses.run();
