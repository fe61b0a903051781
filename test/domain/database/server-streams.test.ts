// Issue 16: on a libSQL server, the reads every request makes and the writes run on streams kept
// open between requests, over a WebSocket (src/domain/database/server-streams.ts) — sqld set up
// a connection, schema and all, for each new stream. Seen through a forwarding proxy that notes
// whether each request opens a stream or goes on with one; against a real sqld, restarted in
// the middle.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase, type Db } from '../../../src/domain/database/db.ts';
import { socketAddress, STREAMS } from '../../../src/domain/database/server-streams.ts';
import { readRow } from '../../../src/domain/database/prepared-read.ts';
import { startSqld } from '../../support/processes.ts';
import { hranaProxy, type Seen } from '../../support/hrana-proxy.ts';

const reads = suite('reads on kept streams');

/**
 * A sqld, a portal reaching it through the counting proxy (at the URL `portalUrl` makes of the
 * proxy's http:// one), and another client reaching it directly (another portal, or the plain
 * client to compare with): `work` gets them, and all are closed after it.
 */
async function withPortalAndOther(work: (portal: Db, other: Db, counts: Seen) => Promise<void>, portalUrl = (url: string) => url) {
  const sqld = await startSqld();
  const proxy = await hranaProxy(sqld.url);
  const portal = await openDatabase(portalUrl(proxy.url));
  const other = await openDatabase(sqld.url);
  try {
    await work(portal, other, proxy.seen);
  } finally {
    portal.close();
    other.close();
    proxy.close();
    await sqld.stop();
  }
}

reads('twenty reads, one after the other, open one stream; each sees what another portal wrote just before', () => withPortalAndOther(async (portal, other, counts) => {
  await other.execute('CREATE TABLE v (n INTEGER NOT NULL)');
  await other.execute('INSERT INTO v VALUES (0)');
  counts.opened = 0;
  for (let i = 1; i <= 20; i++) {
    await other.execute({ sql: 'UPDATE v SET n = ?', args: [i] });
    assert.is(Number((await readRow(portal, 'SELECT n FROM v'))!.n), i, `read ${i} sees the write before it`);
  }
  assert.is(counts.opened, 1, 'one stream opened for twenty reads');
  assert.ok(counts.overSocket >= 20, `carried by the WebSocket, not a request each (${counts.overSocket})`);
  assert.ok(counts.continued >= 19, `the others went on with it (${counts.continued})`);
  // reads at once take a stream each, and keep them for the next ones
  const at = await Promise.all(Array.from({ length: 4 }, () => readRow(portal, 'SELECT n FROM v')));
  assert.equal(at.map((r) => Number(r!.n)), [20, 20, 20, 20]);
  const opened = counts.opened;
  await Promise.all(Array.from({ length: 4 }, () => readRow(portal, 'SELECT n FROM v')));
  assert.is(counts.opened, opened, 'the four streams were kept');
}));

reads(`more reads at once than STREAMS (${STREAMS}) wait for a stream instead of opening more; each is answered`, () => withPortalAndOther(async (portal, other, counts) => {
  await other.execute('CREATE TABLE v (n INTEGER NOT NULL)');
  await other.execute('INSERT INTO v VALUES (5)');
  counts.opened = 0;
  for (let round = 0; round < 3; round++) {
    const answers = await Promise.all(Array.from({ length: STREAMS * 2 }, (_, i) => readRow(portal, 'SELECT n + ? AS m FROM v', [i])));
    assert.equal(answers.map((r) => Number(r!.m)), Array.from({ length: STREAMS * 2 }, (_, i) => 5 + i));
  }
  assert.is(counts.opened, STREAMS, `${STREAMS} streams for ${STREAMS * 6} reads`);
  assert.is(counts.reads.most, STREAMS, 'no more reads in flight than streams');
}));

/** A portal on a sqld that is stopped and started again (same data, same port) between `before` and `after`. */
async function acrossRestart(before: (portal: Db) => Promise<void>, after: (portal: Db) => Promise<void>) {
  const first = await startSqld();
  const portal = await openDatabase(first.url);
  let second: Awaited<ReturnType<typeof startSqld>> | undefined;
  try {
    await before(portal);
    await first.stop();
    second = await startSqld({ data: first.data, port: first.port });
    await after(portal);
  } finally {
    portal.close();
    await second?.stop();
  }
}

reads('a kept stream the server no longer knows (sqld restarted) is replaced, and the read answered', () => acrossRestart(async (portal) => {
  await portal.execute('CREATE TABLE v (n INTEGER NOT NULL)');
  await portal.execute('INSERT INTO v VALUES (7)');
  assert.is(Number((await readRow(portal, 'SELECT n FROM v'))!.n), 7);
}, async (portal) => {
  assert.is(Number((await readRow(portal, 'SELECT n FROM v'))!.n), 7);
  // a read that cannot succeed still fails, with the server's reason
  let refused = '';
  await readRow(portal, 'SELECT missing_column FROM v').catch((error: Error) => (refused = error.message));
  assert.match(refused, /no such column/, refused);
  assert.is(Number((await readRow(portal, 'SELECT n FROM v'))!.n), 7, 'and the next read is answered');
}));

reads('the client\'s reads (execute of a SELECT) go on kept streams, answered as the client answers them', () => withPortalAndOther(async (portal, plain, counts) => {
  counts.opened = 0;
  await portal.execute('CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, photo BLOB, weight REAL)');
  await portal.batch([{ sql: 'INSERT INTO p VALUES (?, ?, ?, ?)', args: [1, 'Zoë', new Uint8Array([1, 2, 3]), 61.5] },
    { sql: 'INSERT INTO p VALUES (:id, :name, NULL, NULL)', args: { id: 2, name: 'Ana' } }], 'write');
  const statements = ['SELECT * FROM p ORDER BY id', { sql: 'SELECT name FROM p WHERE id = ?', args: [1] },
    { sql: 'SELECT name, :extra AS extra FROM p WHERE id = :id', args: { id: 2, extra: 'x' } }];
  for (let round = 0; round < 3; round++) {
    for (const statement of statements) {
      const [kept, fresh] = [await portal.execute(statement), await plain.execute(statement)];
      assert.equal(kept.columns, fresh.columns);
      assert.equal(kept.rows.map((r) => ({ ...r })), fresh.rows.map((r) => ({ ...r })));
      assert.equal(kept.rows.map((r) => Array.from(r as ArrayLike<unknown>)), fresh.rows.map((r) => Array.from(r as ArrayLike<unknown>)));
    }
  }
  assert.is(counts.opened, 1, 'two writes and nine reads, one stream');
  let refused: unknown;
  await portal.execute('SELECT missing_column FROM p').catch((error: unknown) => (refused = error));
  assert.is((refused as { code?: string }).code !== undefined, true, 'a LibsqlError with a code');
  assert.match(String((refused as Error).message), /no such column/);
}));

reads('read batches go on kept streams too: one transaction each, answered as the client\'s, and never left open', () => withPortalAndOther(async (portal, other, counts) => {
  await other.execute('CREATE TABLE v (n INTEGER NOT NULL, t TEXT)');
  await other.execute("INSERT INTO v VALUES (0, 'a')");
  const statements = ['SELECT n FROM v', { sql: 'SELECT t, ? AS x FROM v WHERE n >= ?', args: ['y', 0] }, 'SELECT count(*) AS c FROM v'];
  counts.opened = 0;
  for (let i = 1; i <= 5; i++) {
    await other.execute({ sql: 'UPDATE v SET n = ?', args: [i] });
    const [kept, fresh] = [await portal.batch(statements, 'read'), await other.batch(statements, 'read')];
    assert.equal(kept.map((r) => r.rows.map((row) => ({ ...row }))), fresh.map((r) => r.rows.map((row) => ({ ...row }))));
    assert.equal(kept.map((r) => r.columns), fresh.map((r) => r.columns));
    assert.is(Number(kept[0].rows[0].n), i, `batch ${i} sees the write before it`);
    // the stream is back in autocommit: a plain read after the batch sees the next write
    await other.execute({ sql: 'UPDATE v SET n = ?', args: [i + 100] });
    assert.is(Number((await portal.execute('SELECT n FROM v')).rows[0].n), i + 100);
  }
  assert.is(counts.opened, 1, 'ten reads and batches, one stream');
  // a batch that fails is refused, and what comes after it still sees every write
  let refused = false;
  await portal.batch(['SELECT n FROM v', 'SELECT missing_column FROM v'], 'read').catch(() => (refused = true));
  assert.ok(refused, 'the failing batch is refused');
  await other.execute('UPDATE v SET n = 999');
  assert.is(Number((await portal.batch(['SELECT n FROM v'], 'read'))[0].rows[0].n), 999);
  assert.is(Number((await portal.execute('SELECT n FROM v')).rows[0].n), 999);
}));

reads('writes go on kept streams too: one transaction each, answered as the client answers them, all or nothing', () => withPortalAndOther(async (portal, plain, counts) => {
  counts.opened = 0;
  await portal.execute('CREATE TABLE w (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)');
  for (let i = 1; i <= 10; i++) {
    const [inserted] = await portal.batch([{ sql: 'INSERT INTO w (name) VALUES (?)', args: [`n${i}`] }], 'write');
    assert.is(Number(inserted.lastInsertRowid), i, `write ${i}'s rowid`);
    assert.is(inserted.rowsAffected, 1);
    const updated = await portal.execute({ sql: 'UPDATE w SET name = name || ? WHERE id <= ?', args: ['', i] });
    assert.is(updated.rowsAffected, i, 'an execute that writes, answered with its count');
  }
  assert.is(counts.opened, 1, 'twenty-one writes, one stream');
  // a batch whose second statement fails applies nothing, and says why as the client would
  let refused: unknown;
  await portal.batch([{ sql: 'INSERT INTO w (name) VALUES (?)', args: ['new'] }, { sql: 'INSERT INTO w (name) VALUES (?)', args: ['n1'] }], 'write')
    .catch((error: unknown) => (refused = error));
  assert.match(String((refused as { code?: string }).code), /SQLITE_CONSTRAINT/, String(refused));
  assert.is(Number((await plain.execute("SELECT count(*) AS c FROM w WHERE name = 'new'")).rows[0].c), 0, 'nothing of the failed batch applied');
  // and the next write goes through, seen by another portal at once
  await portal.execute({ sql: 'INSERT INTO w (name) VALUES (?)', args: ['after'] });
  assert.is(Number((await plain.execute("SELECT count(*) AS c FROM w WHERE name = 'after'")).rows[0].c), 1);
}));

reads('a write after the server restarted goes on a new socket, once', () => acrossRestart(async (portal) => {
  await portal.execute('CREATE TABLE v (n INTEGER NOT NULL)');
  await portal.execute('INSERT INTO v VALUES (1)');
}, async (portal) => {
  await portal.execute('INSERT INTO v VALUES (2)');
  assert.equal((await portal.execute('SELECT n FROM v ORDER BY n')).rows.map((r) => Number(r.n)), [1, 2]);
}));

reads('the socket\'s address from each form of a server URL', () => {
  assert.equal(socketAddress('http://127.0.0.1:8080'), { url: 'ws://127.0.0.1:8080', authToken: undefined });
  assert.equal(socketAddress('https://db.example'), { url: 'wss://db.example', authToken: undefined });
  assert.equal(socketAddress('libsql://db.example'), { url: 'wss://db.example', authToken: undefined });
  assert.equal(socketAddress('libsql://127.0.0.1:8080?tls=0'), { url: 'ws://127.0.0.1:8080', authToken: undefined });
  assert.equal(socketAddress('libsql://db.example?authToken=t0k'), { url: 'wss://db.example', authToken: 't0k' });
  assert.equal(socketAddress('ws://127.0.0.1:8080'), { url: 'ws://127.0.0.1:8080', authToken: undefined });
  assert.throws(() => socketAddress('file:db/cpar.db'), /not a libSQL server URL/);
});

for (const form of ['ws', 'libsql'] as const) {
  reads(`a ${form}:// URL reads and writes on kept streams too`, () => withPortalAndOther(async (portal, _other, counts) => {
    await portal.execute('CREATE TABLE v (n INTEGER NOT NULL)');
    for (let i = 1; i <= 10; i++) {
      await portal.execute({ sql: 'INSERT INTO v VALUES (?)', args: [i] });
      assert.is(Number((await portal.execute('SELECT count(*) AS c FROM v')).rows[0].c), i);
    }
    assert.is(counts.opened, 1, `twenty-one statements, one stream (${counts.opened})`);
    assert.is(counts.writeBatches, 11);
  }, (url) => (form === 'ws' ? url.replace(/^http/, 'ws') : `libsql://${new URL(url).host}?tls=0`)));
}

reads.run();
