import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../src/cli.ts';
import { openDatabase } from '../../src/domain/database/db.ts';
import { simSubmissions } from '../netcare/support/simulator.ts';
import { cli, startSimulatorProcess, tempDir } from '../support/processes.ts';

// The portal is killed (SIGKILL, as by kill -9) at each harmful step of a run and started
// again: every submission ends Submitted or Failed, Netcare stores each panel once, and
// each failure leaves exactly one inbox message; each confirmation keeps the registry's outcome
// once (killed at "polled", between receiving it and storing it, the next poll asks again).
const kill9 = suite('kill -9 during a run');
const RUN = new Date('2027-03-15T21:00:00-06:00');
const at = (minutes: number) => new Date(RUN.getTime() + minutes * 60_000).toISOString();

async function clinic(env: Record<string, string>) {
  const io = { env, readStdin: async () => 'a long enough password\n', out: () => {}, err: (l: string) => assert.unreachable(l) };
  for (const args of [['migrate'], ['user', 'add', 'jsmith', '--name', 'Jan Smith'], ['import', 'db/examples/clinic-import.json']]) {
    assert.is(await runCli(args, io), 0);
  }
}

async function tickProcess(env: Record<string, string>, minutes: number, killAt?: string) {
  const p = cli(['tick', '--at', at(minutes)], killAt ? { ...env, CPAR_TEST_KILL_AT: killAt } : env);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}

async function settled(env: Record<string, string>, simulatorUrl: string) {
  const db = await openDatabase(env.DATABASE_URL);
  try {
    const rows = (await db.execute(`SELECT s.id, s.status, (SELECT count(*) FROM inbox_messages m WHERE m.submission_id = s.id AND m.kind = 'failure') AS messages,
        p.failure_recipient_id IS NOT NULL AS has_recipient FROM submissions s JOIN panels p ON p.id = s.panel_id`)).rows;
    assert.is(rows.length, 5, 'one submission per CPAR panel');
    for (const r of rows) {
      assert.ok(r.status === 'Submitted' || r.status === 'Failed', `submission ${r.id} ended ${r.status}`);
      if (r.status === 'Failed') assert.is(Number(r.messages), Number(r.has_recipient), `one message for failed ${r.id}`);
      else assert.is(Number(r.messages), 0);
    }
    assert.is(rows.filter((r) => r.status === 'Submitted').length, 2);
    const stored = await simSubmissions(simulatorUrl);
    assert.is(stored.length, 2, 'Netcare stored each valid panel once');
    // The registry's outcome: kept once with each confirmation, whatever step the kill hit.
    const kept = (await db.execute(`SELECT s.netcare_reference, s.registry_counted,
        (SELECT count(*) FROM registry_exceptions e WHERE e.submission_id = s.id) AS exceptions
        FROM submissions s WHERE s.status = 'Submitted' ORDER BY s.netcare_reference`)).rows;
    const answered = stored.map((s) => ({
      reference: s.reference,
      counted: s.outcome?.extension[0].valueInteger,
      exceptions: s.outcome?.issue.filter((i) => i.severity === 'warning').length,
    })).sort((a, b) => a.reference.localeCompare(b.reference));
    assert.equal(kept.map((r) => ({ reference: r.netcare_reference, counted: r.registry_counted, exceptions: Number(r.exceptions) })), answered);
    assert.ok(answered.some((a) => Number(a.exceptions) > 0), 'the registry had exceptions to keep');
    const runs = (await db.execute("SELECT count(*) AS n FROM scheduled_runs WHERE job = 'monthly-run' AND finished_at IS NOT NULL")).rows[0].n;
    assert.is(Number(runs), 1);
    return stored;
  } finally {
    db.close();
  }
}

for (const step of ['run-claimed', 'sent', 'polled']) {
  kill9(`killed at "${step}", restarted: every submission final, nothing sent twice`, async () => {
    const simulator = await startSimulatorProcess({ NETCARE_SIM_CONFIRM_DELAY_MS: '0', NETCARE_SIM_MISMATCH_SHARE: '0.5', NETCARE_SIM_CONFLICT_SHARE: '1' });
    try {
      const env = { DATABASE_URL: `file:${join(tempDir('kill9-'), 'cpar.db')}`, NETCARE_URL: simulator.url };
      await clinic(env);
      const killed = await tickProcess(env, 0, step);
      assert.is(killed.code, 128, 'the process was killed');
      assert.not.match(killed.out, 'confirmations:', 'it did not finish');
      // Restarted after the claims lapsed (30 s unless renewed), then once more for the confirmations.
      for (const minutes of [6, 7]) {
        const again = await tickProcess(env, minutes);
        assert.is(again.code, 0, again.err);
      }
      const stored = await settled(env, simulator.url);
      if (step === 'sent') assert.ok(stored.some((s) => s.receivedCount === 2), 'the send was repeated with the same key');
    } finally {
      await simulator.stop();
    }
  });
}

kill9.run();
