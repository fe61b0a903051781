// Issue 16: the portal's client reaches a libSQL server (a real sqld) over a WebSocket for its
// statements (src/domain/database/server-streams.ts) and over node:http for the rest
// (server-fetch.ts), uncompressed either way — gzip was most of the run's preparation CPU on
// sqld. What passes between them is seen through a forwarding proxy (test/support/hrana-proxy.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase } from '../../../src/domain/database/db.ts';
import { startSqld } from '../../support/processes.ts';
import { hranaProxy } from '../../support/hrana-proxy.ts';

const connection = suite('connection to a libSQL server');

connection('statements, batches and transactions are answered uncompressed', async () => {
  const sqld = await startSqld();
  const proxy = await hranaProxy(sqld.url);
  try {
    const db = await openDatabase(proxy.url);
    // An answer large enough that sqld would compress it if asked to.
    const large = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT group_concat('patient-' || i) AS s FROM n";
    const [big] = (await db.execute(large)).rows;
    assert.ok(String(big.s).length > 100_000);
    await db.batch(['CREATE TABLE t (x)', 'INSERT INTO t VALUES (1)'], 'write');
    assert.equal((await db.execute('SELECT x FROM t')).rows.map((r) => r.x), [1]);
    // An interactive transaction (migrations, imports) goes over the client's HTTP requests.
    const tx = await db.transaction('write');
    assert.ok(String((await tx.execute(large)).rows[0].s).length > 100_000);
    await tx.execute('INSERT INTO t VALUES (2)');
    await tx.commit();
    db.close();
    assert.ok(proxy.seen.overSocket >= 3, 'the statements and the batch went over the socket');
    assert.equal(proxy.seen.socketExtensions, [''], 'one socket, no permessage-deflate');
    assert.ok(proxy.seen.http.length >= 2, 'the transaction went over HTTP');
    for (const { asked, answered } of proxy.seen.http) {
      assert.is(asked, 'identity');
      assert.is(answered, undefined);
    }
  } finally {
    proxy.close();
    await sqld.stop();
  }
});

connection("the server's errors come back as the client's, and a server that is gone fails the statement", async () => {
  const sqld = await startSqld();
  const db = await openDatabase(sqld.url);
  try {
    await db.execute('SELECT x FROM nowhere').then(() => assert.unreachable('a bad statement succeeded'), (error: Error) => {
      assert.match(error.message, /no such table: nowhere/);
    });
    assert.equal((await db.execute('SELECT 1 AS one')).rows.map((r) => r.one), [1], 'the connection still works');
  } finally {
    await sqld.stop();
  }
  await db.execute('SELECT 1').then(() => assert.unreachable('answered by a stopped server'), (error: Error) => {
    assert.match(`${error.message} ${(error.cause as Error | undefined)?.message ?? ''}`, /ECONNREFUSED|ECONNRESET|socket hang up/);
  });
  db.close();
});

connection('writes go to the server one at a time, those that waited together as one batch; reads at once; a failed write fails alone', async () => {
  const sqld = await startSqld();
  const proxy = await hranaProxy(sqld.url);
  try {
    const db = await openDatabase(proxy.url);
    await db.execute('CREATE TABLE t (x)');
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2
      ? db.batch([{ sql: 'INSERT INTO t VALUES (?)', args: [i] }, { sql: 'INSERT INTO t VALUES (?)', args: [-i] }], 'write')
      : db.execute({ sql: 'INSERT INTO t VALUES (?)', args: [i] }))));
    assert.is(proxy.seen.writes.most, 1, 'one write in flight at a time');
    assert.is(Number((await db.execute('SELECT count(*) AS n FROM t')).rows[0].n), 18, 'every write applied');
    // Those that waited together went as one batch, each told what its own statements returned.
    const batches = proxy.seen.writeBatches;
    const answers = await Promise.all([1, 2, 3].map((i) => db.batch([{ sql: 'INSERT INTO t VALUES (?) RETURNING x', args: [1000 + i] }], 'write')));
    assert.equal(answers.map(([r]) => r.rows[0].x), [1001, 1002, 1003]);
    assert.ok(proxy.seen.writeBatches - batches <= 2, `three writes in ${proxy.seen.writeBatches - batches} batches`);
    await Promise.all(Array.from({ length: 12 }, () => db.execute('SELECT count(*) FROM t')));
    assert.ok(proxy.seen.reads.most > 1, `reads overlap (at most ${proxy.seen.reads.most} at once)`);
    // A bad batch waiting with good ones: it fails alone, they apply.
    const first = db.execute('INSERT INTO t VALUES (99)');
    const failed = db.batch(['INSERT INTO t VALUES (1)', 'INSERT INTO nowhere VALUES (1)'], 'write');
    const next = db.execute('INSERT INTO t VALUES (100)');
    await failed.then(() => assert.unreachable('a bad batch succeeded'), (error: Error) => assert.match(error.message, /no such table: nowhere/));
    await Promise.all([first, next]);
    assert.equal((await db.execute('SELECT x FROM t WHERE x IN (1, 100) ORDER BY x')).rows.map((r) => r.x), [1, 100],
      "the failed batch's first insert was not applied (once, from the loop); the next write was");
    db.close();
  } finally {
    proxy.close();
    await sqld.stop();
  }
});

connection.run();
