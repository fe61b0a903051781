// The per-request reads prepared once on the file's own read connection (issue 16): each
// sees every write committed before it, by this client or another, and closes with its client.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase } from '../../../src/domain/database/db.ts';
import { readRow } from '../../../src/domain/database/prepared-read.ts';

const read = suite('prepared reads');
const fileUrl = () => `file:${join(mkdtempSync(join(tmpdir(), 'cpar-prepared-read-')), 'r.db')}`;

read('each read sees the write committed just before it, by this client or by another', async () => {
  const url = fileUrl();
  const db = await openDatabase(url);
  const other = await openDatabase(url);
  await db.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, b BLOB)');
  await db.execute("INSERT INTO t VALUES (1, 'a', x'0102')");
  const sql = 'SELECT v, b FROM t WHERE id = ?';
  assert.is((await readRow(db, sql, [1]))!.v, 'a');
  assert.equal([...new Uint8Array((await readRow(db, sql, [1]))!.b as ArrayBuffer)], [1, 2]);
  for (const [writer, value] of [[db, 'b'], [other, 'c'], [db, 'd']] as const) {
    await writer.execute({ sql: 'UPDATE t SET v = ? WHERE id = 1', args: [value] });
    assert.is((await readRow(db, sql, [1]))!.v, value);
  }
  await other.execute('DELETE FROM t');
  assert.is(await readRow(db, sql, [1]), undefined);
  db.close();
  other.close();
});

read('a read leaves no read transaction open: the WAL is checkpointed to the end after it', async () => {
  const db = await openDatabase(fileUrl());
  await db.execute('CREATE TABLE t (v)');
  await db.execute('INSERT INTO t SELECT value FROM generate_series(1, 1000)');
  assert.is((await readRow(db, 'SELECT v FROM t ORDER BY v'))!.v, 1, 'the first of a thousand rows');
  await db.execute("INSERT INTO t VALUES (4)");
  const checkpoint = (await db.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows[0];
  assert.is(Number(checkpoint.busy), 0, 'no reader held the checkpoint back');
  db.close();
});

read('a closed client reads nothing more: its read connection closed with it', async () => {
  const db = await openDatabase(fileUrl());
  await db.execute('CREATE TABLE t (v)');
  await readRow(db, 'SELECT count(*) AS n FROM t');
  db.close();
  try {
    await readRow(db, 'SELECT count(*) AS n FROM t');
    assert.unreachable('read after close');
  } catch (error) {
    assert.not.instance(error, assert.Assertion);
  }
});

read('a memory database is read through its client', async () => {
  const db = await openDatabase('file::memory:');
  await db.execute('CREATE TABLE t (v)');
  await db.execute("INSERT INTO t VALUES ('only here')");
  assert.is((await readRow(db, 'SELECT v FROM t'))!.v, 'only here');
  db.close();
});

read.run();
