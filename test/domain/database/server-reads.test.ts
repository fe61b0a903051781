// Issue 16: on a libSQL server, the reads every request makes run on streams kept open between
// requests (src/domain/database/server-reads.ts) — sqld set up a connection, schema and all,
// for each new stream. Seen through a forwarding proxy that notes whether each request opens a
// stream (no baton) or goes on with one; against a real sqld, restarted in the middle.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase, type Db } from '../../../src/domain/database/db.ts';
import { readRow } from '../../../src/domain/database/prepared-read.ts';
import { startSqld } from '../../support/processes.ts';

const reads = suite('reads on kept streams');

/** A proxy to `target` that counts the pipeline requests that open a new stream. */
async function streamCountingProxy(target: string) {
  const counts = { opened: 0, continued: 0 };
  const { hostname, port } = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.endsWith('/pipeline')) {
        if ((JSON.parse(body.toString()) as { baton: string | null }).baton) counts.continued++;
        else counts.opened++;
      }
      const forwarded = httpRequest({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forwarded.on('error', () => res.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counts, close: () => server.close() };
}

/**
 * A sqld, a portal reaching it through the counting proxy, and another client reaching it
 * directly (another portal, or the plain client to compare with): `work` gets them, and all
 * are closed after it.
 */
async function withPortalAndOther(work: (portal: Db, other: Db, counts: { opened: number; continued: number }) => Promise<void>) {
  const sqld = await startSqld();
  const proxy = await streamCountingProxy(sqld.url);
  const portal = await openDatabase(proxy.url);
  const other = await openDatabase(sqld.url);
  try {
    await work(portal, other, proxy.counts);
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
  assert.ok(counts.continued >= 19, `the others went on with it (${counts.continued})`);
  // reads at once take a stream each, and keep them for the next ones
  const at = await Promise.all(Array.from({ length: 4 }, () => readRow(portal, 'SELECT n FROM v')));
  assert.equal(at.map((r) => Number(r!.n)), [20, 20, 20, 20]);
  const opened = counts.opened;
  await Promise.all(Array.from({ length: 4 }, () => readRow(portal, 'SELECT n FROM v')));
  assert.is(counts.opened, opened, 'the four streams were kept');
}));

reads('a kept stream the server no longer knows (sqld restarted) is replaced, and the read answered', async () => {
  const first = await startSqld();
  const portal = await openDatabase(first.url);
  let second: Awaited<ReturnType<typeof startSqld>> | undefined;
  try {
    await portal.execute('CREATE TABLE v (n INTEGER NOT NULL)');
    await portal.execute('INSERT INTO v VALUES (7)');
    assert.is(Number((await readRow(portal, 'SELECT n FROM v'))!.n), 7);
    await first.stop();
    second = await startSqld({ data: first.data, port: first.port });
    assert.is(Number((await readRow(portal, 'SELECT n FROM v'))!.n), 7);
    // a read that cannot succeed still fails, with the server's reason
    let refused = '';
    await readRow(portal, 'SELECT missing_column FROM v').catch((error: Error) => (refused = error.message));
    assert.match(refused, /no such column/, refused);
    assert.is(Number((await readRow(portal, 'SELECT n FROM v'))!.n), 7, 'and the next read is answered');
  } finally {
    portal.close();
    await second?.stop();
  }
});

reads('the client\'s reads (execute of a SELECT) go on kept streams, answered as the client answers them', () => withPortalAndOther(async (portal, plain, counts) => {
  await portal.execute('CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, photo BLOB, weight REAL)');
  await portal.batch([{ sql: 'INSERT INTO p VALUES (?, ?, ?, ?)', args: [1, 'Zoë', new Uint8Array([1, 2, 3]), 61.5] },
    { sql: 'INSERT INTO p VALUES (:id, :name, NULL, NULL)', args: { id: 2, name: 'Ana' } }], 'write');
  const statements = ['SELECT * FROM p ORDER BY id', { sql: 'SELECT name FROM p WHERE id = ?', args: [1] },
    { sql: 'SELECT name, :extra AS extra FROM p WHERE id = :id', args: { id: 2, extra: 'x' } }];
  counts.opened = 0;
  for (let round = 0; round < 3; round++) {
    for (const statement of statements) {
      const [kept, fresh] = [await portal.execute(statement), await plain.execute(statement)];
      assert.equal(kept.columns, fresh.columns);
      assert.equal(kept.rows.map((r) => ({ ...r })), fresh.rows.map((r) => ({ ...r })));
      assert.equal(kept.rows.map((r) => Array.from(r as ArrayLike<unknown>)), fresh.rows.map((r) => Array.from(r as ArrayLike<unknown>)));
    }
  }
  assert.is(counts.opened, 1, 'nine reads, one stream');
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

reads.run();
