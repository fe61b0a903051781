import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../src/cli.ts';
import { openDatabase } from '../src/domain/database/db.ts';

// The acceptance run, through the CLI: migrate, user add, import the example
// clinic, tick at the March 2027 monthly run and again a minute later.
const cli = suite('cli: import and tick');
const dir = mkdtempSync(join(tmpdir(), 'cpar-cli-tick-'));
const env = { DATABASE_URL: `file:${join(dir, 'cpar.db')}` };

async function run(argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env, readStdin: async () => stdin, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function rows(sql: string) {
  const db = await openDatabase(env.DATABASE_URL);
  try {
    return (await db.execute(sql)).rows;
  } finally {
    db.close();
  }
}

cli('tick --at must be an ISO-8601 instant with an offset', async () => {
  for (const at of ['tomorrow', '2027-03-15 21:00', '2027-03-15T21:00:00', '2027-02-30T21:00:00Z']) {
    const result = await run(['tick', '--at', at]);
    assert.is(result.code, 2, at);
    assert.match(result.err, '--at needs an ISO-8601 instant');
  }
  assert.is((await run(['tick', '--when', 'now'])).code, 2);
});

cli('the monthly run leaves valid panels Submitted and invalid ones Failed, one message each', async () => {
  assert.is((await run(['migrate'])).code, 0);
  assert.is((await run(['user', 'add', 'jsmith', '--name', 'Jan Smith', '--permission', 'cii_cpar_settings'], 'a long enough password\n')).code, 0);
  const imported = await run(['import', 'db/examples/clinic-import.json']);
  assert.is(imported.code, 0, imported.err);
  const first = await run(['tick', '--at', '2027-03-15T21:00:00-06:00']);
  assert.is(first.code, 0, first.err);
  assert.match(first.out, 'monthly-run');
  const second = await run(['tick', '--at', '2027-03-15T21:01:00-06:00']);
  assert.match(second.out, 'no run due');
  const result = await rows(`SELECT p.key, s.status, s.brief_error, p.failure_recipient_id IS NOT NULL AS has_recipient,
      (SELECT count(*) FROM inbox_messages m WHERE m.submission_id = s.id AND m.kind = 'failure') AS messages
    FROM submissions s JOIN panels p ON p.id = s.panel_id ORDER BY p.key`);
  assert.equal(result.map((r) => [r.key, r.status, r.brief_error, r.messages]), [
    ['brandt-locum', 'Failed', 'Dr. Felix Brandt has no Practitioner ID recorded.', 1],
    ['lee-eastgate', 'Failed', '1 patient has no last visit date.', 1],
    ['lee-main', 'Submitted', null, 0],
    ['nakamura-family', 'Failed', '2 patients have no confirmation date for this panel.', 1],
    ['okoye-riverside', 'Submitted', null, 0],
  ]);
  const runs = await rows('SELECT job, late FROM scheduled_runs');
  assert.equal(runs.map((r) => [r.job, r.late]), [['monthly-run', 0]]);
});

cli.run();
