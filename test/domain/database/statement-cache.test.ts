// Each native connection keeps its recently used statements (statement-cache.ts): the same
// text gives the same statement back, the least recently used goes past the limit, and
// results stay right through the client when a kept statement failed, or the schema changed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { KEPT_STATEMENTS, keepPreparedStatements } from '../../../src/domain/database/statement-cache.ts';
import { openDatabase } from '../../../src/domain/database/db.ts';

const kept = suite('kept prepared statements');

kept('the same text gives the same statement; past the limit the least recently used goes first', () => {
  keepPreparedStatements();
  const db = new Database(':memory:');
  const first = db.prepare('SELECT 1');
  const second = db.prepare('SELECT 2');
  assert.is(db.prepare('SELECT 1'), first);
  // SELECT 1 used again just now: it is the most recent, SELECT 2 the oldest
  for (let i = 0; i < KEPT_STATEMENTS - 1; i++) db.prepare(`SELECT ${i + 100}`);
  assert.is(db.prepare('SELECT 1'), first, 'the recently used one is still kept');
  assert.is.not(db.prepare('SELECT 2'), second, 'the least recently used one was dropped');
  // another connection keeps its own
  assert.is.not(new Database(':memory:').prepare('SELECT 1'), first);
  db.close();
});

kept('a statement that does not parse is refused every time, and never kept', () => {
  keepPreparedStatements();
  const db = new Database(':memory:');
  assert.throws(() => db.prepare('SELEC 1'));
  assert.throws(() => db.prepare('SELEC 1'));
  db.close();
});

kept('through the client: right after a failed statement rolled its batch back, and after a schema change', async () => {
  const db = await openDatabase(`file:${join(mkdtempSync(join(tmpdir(), 'cpar-kept-')), 'k.db')}`);
  try {
    await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = (id: number, v: string | null) => ({ sql: 'INSERT INTO t (id, v) VALUES (?, ?)', args: [id, v] });
    await db.batch([insert(1, 'a'), insert(2, 'b')], 'write');
    const refused = (work: Promise<unknown>) => work.then(() => false, () => true);
    assert.ok(await refused(db.batch([insert(3, 'c'), insert(1, 'again')], 'write')), 'a duplicate id is refused');
    assert.ok(await refused(db.batch([insert(4, null)], 'write')), 'a missing value is refused');
    await db.batch([insert(3, 'c')], 'write');
    const all = async () => (await db.execute('SELECT * FROM t ORDER BY id')).rows.map((r) => Object.values(r));
    assert.equal(await all(), [[1, 'a'], [2, 'b'], [3, 'c']]);
    await db.execute('ALTER TABLE t ADD COLUMN w TEXT');
    await db.execute({ sql: 'UPDATE t SET w = ? WHERE id = ?', args: ['x', 2] });
    assert.equal(await all(), [[1, 'a', null], [2, 'b', 'x'], [3, 'c', null]]);
  } finally {
    db.close();
  }
});

kept.run();
