import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../src/cli.ts';
import { openDatabase } from '../src/domain/database/db.ts';
import { migrate } from '../src/domain/database/migrate.ts';
import { tempDir } from './support/processes.ts';

const backup = suite('backup');

async function cli(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env, readStdin: async () => '', out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

backup('a consistent, checked copy while the portal keeps writing', async () => {
  const dir = tempDir('backup-');
  const url = `file:${join(dir, 'cpar.db')}`;
  const db = await openDatabase(url);
  await migrate(db);
  await db.execute("INSERT INTO users (username, full_name, password_hash, created_at) VALUES ('u', 'U', 'x', 0)");
  let writing = true;
  let written = 0;
  const writer = (async () => {
    while (writing) {
      await db.batch([
        { sql: "INSERT INTO inbox_messages (recipient_id, subject, body, created_at) VALUES (1, 'a', 'first of a pair', ?)", args: [written] },
        { sql: "INSERT INTO inbox_messages (recipient_id, subject, body, created_at) VALUES (1, 'b', 'second of a pair', ?)", args: [written] },
      ], 'write');
      written++;
      await new Promise((r) => setImmediate(r));
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  const target = join(dir, 'copy.db');
  const result = await cli(['backup', target], { DATABASE_URL: url });
  writing = false;
  await writer;
  assert.is(result.code, 0, result.err);
  assert.match(result.out, 'integrity ok');
  assert.ok(written > 5, 'the portal kept writing during the backup');
  const copy = await openDatabase(`file:${target}`);
  const pairs = (await copy.execute("SELECT sum(subject = 'a') AS a, sum(subject = 'b') AS b FROM inbox_messages")).rows[0];
  assert.is(Number(pairs.a), Number(pairs.b), 'no half-written change in the copy');
  assert.ok(Number(pairs.a) > 0);
  copy.close();
  db.close();
});

backup('refuses to overwrite a file, and needs a file name', async () => {
  const dir = tempDir('backup-');
  const url = `file:${join(dir, 'cpar.db')}`;
  assert.is((await cli(['migrate'], { DATABASE_URL: url })).code, 0);
  const target = join(dir, 'copy.db');
  assert.is((await cli(['backup', target], { DATABASE_URL: url })).code, 0);
  const again = await cli(['backup', target], { DATABASE_URL: url });
  assert.is(again.code, 1);
  assert.match(again.err, 'already exists');
  assert.is((await cli(['backup'], { DATABASE_URL: url })).code, 2);
  assert.ok(existsSync(target));
});

backup.run();
