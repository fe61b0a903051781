import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../src/cli.ts';
import { openDatabase } from '../src/domain/database/db.ts';
import { cli, tempDir } from './support/processes.ts';

// `npm run cli -- import panel.csv`, in processes of their own, on a temporary file database
// holding the example clinic.
const test = suite('cli: CSV panel-list import');
const AMBIGUOUS = 'test/fixtures/csv/ambiguous-dates.csv';

/** The example clinic, set up in this process; each import below runs in a process of its own. */
async function clinic() {
  const env = { DATABASE_URL: `file:${join(tempDir('cpar-cli-csv-'), 'cpar.db')}` };
  const io = { env, readStdin: async () => 'a long enough password\n', out: () => {}, err: (l: string) => assert.unreachable(l) };
  for (const args of [['migrate'], ['user', 'add', 'jsmith', '--name', 'Jan Smith'], ['import', 'db/examples/clinic-import.json']]) {
    assert.is(await runCli(args, io), 0);
  }
  return env;
}

async function run(env: Record<string, string>, args: string[]) {
  const proc = cli(['import', ...args], env);
  const code = await proc.exited;
  const db = await openDatabase(env.DATABASE_URL);
  const patients = Number((await db.execute("SELECT count(*) AS n FROM patients WHERE uli IN ('910507920', '910515839', '910523758')")).rows[0].n);
  db.close();
  return { code, out: proc.out(), err: proc.err(), patients };
}

test('an ambiguous file is refused without --dates, naming its date columns; --map and --dates import it', async () => {
  const env = await clinic();
  const unmapped = await run(env, [AMBIGUOUS]);
  assert.is(unmapped.code, 1);
  assert.match(unmapped.err, 'Confirmation date: choose the column that holds it');
  assert.match(unmapped.err, '  confirmedOn (Confirmation date): — not in the file —', 'the mapping it read is printed');

  const undated = await run(env, [AMBIGUOUS, '--map', 'confirmedOn=Attached Since']);
  assert.is(undated.code, 1);
  assert.match(undated.err, 'the dates in "Birth Date", "Attached Since", "Last Visit Date" could be DD/MM/YYYY or MM/DD/YYYY: say which');
  assert.match(undated.err, '--dates DD/MM/YYYY or --dates MM/DD/YYYY');
  assert.is(undated.patients, 0);

  const done = await run(env, [AMBIGUOUS, '--map', 'confirmedOn=Attached Since', '--dates', 'MM/DD/YYYY']);
  assert.is(done.code, 0, done.err);
  assert.match(done.out, 'dates read as MM/DD/YYYY');
  assert.match(done.out, 'panel members: 3 created, 0 updated, 0 unchanged, 5 removed');
  assert.is(done.patients, 3);
});

test('a file with problems: each by line and column on standard error, exit 1, nothing written', async () => {
  const env = await clinic();
  const wrong = await run(env, [AMBIGUOUS, '--map', 'confirmedOn=Attached Since', '--map', 'provider=Notes', '--dates', 'DD/MM/YYYY']);
  assert.is(wrong.code, 1);
  assert.match(wrong.err, `${AMBIGUOUS}: line 2, "Notes": no panel number, Practitioner ID or practitioner name in the portal matches this provider`);
  assert.match(wrong.err, /Nothing was imported: \d+ problem\(s\)/);
  assert.not.match(wrong.err, /Tremblay|prefers mornings|910507920/);
  assert.is(wrong.patients, 0);
});

test('bad flags print the usage and exit 2', async () => {
  const env = await clinic();
  const bad = await run(env, [AMBIGUOUS, '--dates', 'YY/MM/DD']);
  assert.is(bad.code, 2);
  assert.match(bad.err, '--dates is one of YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY (got "YY/MM/DD").');
  const field = await run(env, [AMBIGUOUS, '--map', 'phone=Tel']);
  assert.is(field.code, 2);
  assert.match(field.err, '--map needs field=Column');
});

test.run();
