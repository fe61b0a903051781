import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../src/cli.ts';
import { openDatabase } from '../../src/domain/db.ts';
import { simRequests, simSubmissions } from '../netcare/support/simulator.ts';
import { cli, startSimulatorProcess, tempDir } from '../support/processes.ts';

// Netcare misbehaving, with everything a real process: the simulator in its own process in
// each fault mode (or not running at all), the portal's monthly run in another.
const faults = suite('Netcare faults, real processes');
const RUN = '2027-03-15T21:00:00-06:00';
const FAST = { NETCARE_TIMEOUT_MS: '300', NETCARE_RETRY_BUDGET_MS: '1500' };

async function clinic(env: Record<string, string>) {
  const io = { env, readStdin: async () => 'a long enough password\n', out: () => {}, err: (l: string) => assert.unreachable(l) };
  for (const args of [['migrate'], ['user', 'add', 'jsmith', '--name', 'Jan Smith'], ['import', 'db/examples/clinic-import.json']]) {
    assert.is(await runCli(args, io), 0);
  }
}

async function outcome(databaseUrl: string) {
  const db = await openDatabase(databaseUrl);
  try {
    return (await db.execute(`SELECT p.key, s.status, s.brief_error,
        (SELECT count(*) FROM inbox_messages m WHERE m.submission_id = s.id) AS messages
      FROM submissions s JOIN panels p ON p.id = s.panel_id WHERE p.key IN ('lee-main', 'okoye-riverside') ORDER BY p.key`)).rows;
  } finally {
    db.close();
  }
}

for (const mode of ['500', '429', 'slow', 'hang']) {
  faults(`Netcare answering ${mode}: the valid panels end Failed, "could not be reached", one message each`, async () => {
    const simulator = await startSimulatorProcess({ NETCARE_SIM_FAULT: mode });
    try {
      const env = { DATABASE_URL: `file:${join(tempDir(`fault-${mode}-`), 'cpar.db')}`, NETCARE_URL: simulator.url, ...FAST };
      await clinic(env);
      const tick = cli(['tick', '--at', RUN], env);
      assert.is(await tick.exited, 0, tick.err());
      const rows = await outcome(env.DATABASE_URL);
      assert.equal(rows.map((r) => [r.key, r.status, r.brief_error]), [
        ['lee-main', 'Failed', 'Netcare could not be reached.'],
        ['okoye-riverside', 'Failed', 'Netcare could not be reached.'],
      ]);
      // lee-main has a failure recipient; okoye-riverside has none.
      assert.equal(rows.map((r) => Number(r.messages)), [1, 0]);
      assert.is((await simSubmissions(simulator.url)).length, 0, 'nothing was stored');
      const tries = (await simRequests(simulator.url)).filter((r) => r.method === 'POST');
      assert.ok(tries.length >= 2, `retried (${tries.length} attempts)`);
      assert.is(new Set(tries.map((r) => r.idempotencyKey)).size, 2, 'one key per submission, reused on every retry');
    } finally {
      await simulator.stop();
    }
  });
}

faults('Netcare down (no process listening): Failed, one message, and the run finishes', async () => {
  const simulator = await startSimulatorProcess();
  await simulator.stop();
  const env = { DATABASE_URL: `file:${join(tempDir('fault-down-'), 'cpar.db')}`, NETCARE_URL: simulator.url, ...FAST };
  await clinic(env);
  const tick = cli(['tick', '--at', RUN], env);
  assert.is(await tick.exited, 0, tick.err());
  const rows = await outcome(env.DATABASE_URL);
  assert.ok(rows.every((r) => r.status === 'Failed' && r.brief_error === 'Netcare could not be reached.'));
  assert.equal(rows.map((r) => Number(r.messages)), [1, 0]);
});

faults.run();
