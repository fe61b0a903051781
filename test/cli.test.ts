import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../src/cli.ts';
import { openDatabase } from '../src/domain/database/db.ts';
import { authenticate } from '../src/domain/people/users.ts';

const cli = suite('cli');
const url = `file:${join(mkdtempSync(join(tmpdir(), 'cpar-cli-')), 'cli.db')}`;

async function run(argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    env: { DATABASE_URL: url },
    readStdin: async () => stdin,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function query(sql: string, args: (string | number)[] = []) {
  const db = await openDatabase(url);
  try {
    return (await db.execute({ sql, args })).rows;
  } finally {
    db.close();
  }
}

cli('migrate applies the migrations once', async () => {
  const first = await run(['migrate']);
  assert.is(first.code, 0);
  assert.match(first.out, '001_schema.sql');
  const second = await run(['migrate']);
  assert.is(second.code, 0);
  assert.match(second.out, 'up to date');
});

cli('user add reads the password from the first line of standard input', async () => {
  const result = await run(['user', 'add', 'jsmith', '--name', 'Jan Smith', '--permission', 'cii_cpar_settings',
    '--permission', 'manage_users'], 'a long enough password\nsecond line ignored\n');
  assert.is(result.code, 0, result.err);
  assert.match(result.out, 'Added user jsmith');
  const rows = await query("SELECT u.full_name, group_concat(p.permission) AS perms FROM users u JOIN user_permissions p ON p.user_id = u.id WHERE username = 'jsmith' GROUP BY u.id");
  assert.is(rows[0].full_name, 'Jan Smith');
  assert.equal(String(rows[0].perms).split(',').sort(), ['cii_cpar_settings', 'manage_users']);
  const db = await openDatabase(url);
  assert.ok(await authenticate(db, 'jsmith', 'a long enough password'));
  db.close();
});

cli('user add without permissions makes a user with none', async () => {
  const result = await run(['user', 'add', 'drlee', '--name', 'Dr. Ada Lee'], 'another long password\n');
  assert.is(result.code, 0, result.err);
  assert.equal(await query("SELECT p.* FROM user_permissions p JOIN users u ON u.id = p.user_id WHERE u.username = 'drlee'"), []);
});

for (const [title, argv] of [
  ['no command', []],
  ['an unknown command', ['frobnicate']],
  ['user without add', ['user', 'remove', 'x']],
  ['user add without --name', ['user', 'add', 'someone']],
  ['user add without a username', ['user', 'add', '--name', 'No One']],
  ['user add with two usernames', ['user', 'add', 'a', 'b', '--name', 'Two']],
  ['an unknown permission', ['user', 'add', 'x1', '--name', 'X', '--permission', 'root']],
  ['an unknown option', ['user', 'add', 'x2', '--name', 'X', '--admin']],
  ['migrate with arguments', ['migrate', 'now']],
] as [string, string[]][]) {
  cli(`${title}: usage message and exit 2`, async () => {
    const result = await run(argv, 'a long enough password\n');
    assert.is(result.code, 2);
    assert.match(result.out + result.err, 'Usage: npm run cli');
  });
}

cli('a short password is refused with the policy, nothing added', async () => {
  const result = await run(['user', 'add', 'shorty', '--name', 'Short'], 'short\n');
  assert.is(result.code, 1);
  assert.match(result.err, 'at least 12 characters');
  assert.equal(await query("SELECT id FROM users WHERE username = 'shorty'"), []);
});

cli('an empty standard input is refused', async () => {
  const result = await run(['user', 'add', 'nopass', '--name', 'No Pass'], '');
  assert.is(result.code, 1);
  assert.match(result.err, /password/i);
});

cli('a common password is refused, whatever its case', async () => {
  const result = await run(['user', 'add', 'commoner', '--name', 'Common'], 'PASSWORD1234\n');
  assert.is(result.code, 1);
  assert.equal(await query("SELECT id FROM users WHERE username = 'commoner'"), []);
});

cli('a taken username is refused', async () => {
  const result = await run(['user', 'add', 'JSmith', '--name', 'Other'], 'a long enough password\n');
  assert.is(result.code, 1);
  assert.match(result.err, 'taken');
});

cli('help prints the usage and exits 0', async () => {
  const result = await run(['help']);
  assert.is(result.code, 0);
  assert.match(result.out, 'user add <username>');
});

cli('a bad DATABASE_URL is named', async () => {
  const code = await runCli(['migrate'], { env: { DATABASE_URL: 'mysql://x' }, readStdin: async () => '', out: () => {}, err: (l) => assert.match(l, 'DATABASE_URL') });
  assert.is(code, 2);
});

cli.run();
