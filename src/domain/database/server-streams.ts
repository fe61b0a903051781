import * as hrana from '@libsql/hrana-client';
import { LibsqlError, type InStatement, type ResultSet } from '@libsql/client';
import type { Db } from './db.ts';

// When the database is a libSQL server, the client's reads (its `execute` of a SELECT, its read
// batches) and this process's write batches run on streams kept open between requests
// (one-writer.ts sends them here). The client itself opens a stream for each statement and
// closes it with the answer, and sqld sets up a connection for every stream, reading the
// portal's schema each time: against a local sqld, a `SELECT 1` cost sqld 1.9 ms of CPU on a new
// stream and 0.46 ms on a kept one. A kept stream runs each read on its own, outside any
// transaction, so it sees every write committed before it, by any portal, as the client's own
// read would.
//
// The streams are carried by one WebSocket to the server (Hrana over WebSocket, which sqld serves
// on its HTTP address), not by an HTTP request per statement: a session's read on a kept stream
// cost the portal 0.18–0.19 ms and sqld 0.25–0.27 ms over HTTP, 0.05 ms and 0.09–0.10 ms over
// the socket. Only the client's interactive transactions (migrations, imports) stay on its own
// requests (for an http URL, over server-fetch.ts).

/**
 * Streams per client, in use or idle: a statement that finds them all in use waits for one
 * rather than open another. With 8 kept and more opened when they were busy, 32 reads at once
 * (the page bench's connections) opened a stream for one read in four and cost sqld 0.82 ms a
 * read; with 32, none after the first, 0.15 ms a read.
 */
export const STREAMS = 32;
/** A stream idle this long is closed rather than used (sqld lets an idle HTTP stream lapse after about 10 s; a socket's streams do not lapse, but an idle one holds a connection in sqld). */
export const STREAM_IDLE_MS = 5_000;

type Kept = { stream: hrana.Stream; idleSince: number };
/** busy: streams in use; waiting: statements waiting for one (each is handed a slot in turn). */
type Server = { client: hrana.Client; idle: Kept[]; open: () => hrana.Client; busy: number; waiting: (() => void)[]; closed: boolean };

const servers = new WeakMap<Db, Server>();

/**
 * The WebSocket address of a libSQL server's URL: http(s) and ws(s) as they are, `libsql://`
 * as the client reads it (TLS unless `?tls=0`), with an `authToken` in the URL's query.
 */
export function socketAddress(url: string): { url: string; authToken?: string } {
  const parsed = new URL(url);
  const tls = parsed.searchParams.get('tls');
  const authToken = parsed.searchParams.get('authToken') ?? undefined;
  const scheme = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:', 'libsql:': tls === '0' ? 'ws:' : 'wss:' }[parsed.protocol];
  if (!scheme) throw new Error(`not a libSQL server URL: ${parsed.protocol}`);
  return { url: `${scheme}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`, authToken };
}

/** Called by openDatabase for a client of a libSQL server: its streams go over one WebSocket. */
export function streamsToServer(db: Db, url: string, authToken: string | undefined): void {
  const address = socketAddress(url);
  const open = () => hrana.openWs(address.url, authToken ?? address.authToken);
  servers.set(db, { client: open(), idle: [], open, busy: 0, waiting: [], closed: false });
}

/** The server's socket client, opened again if its socket has closed (the server restarted). */
function liveClient(server: Server): hrana.Client {
  if (server.closed) throw new Error('the database client is closed');
  if (server.client.closed) {
    server.client.close();
    server.idle = [];
    server.client = server.open();
  }
  return server.client;
}

/** Closes the kept streams with their client (openDatabase's close). */
export function closeServerStreams(db: Db): void {
  const server = servers.get(db);
  servers.delete(db);
  if (!server) return;
  server.closed = true;
  for (const next of server.waiting.splice(0)) next();
  for (const kept of server.idle) kept.stream.close();
  server.client.close();
}

/** Whether `db` reads and writes through kept streams. */
export const onServerStreams = (db: Db): boolean => servers.has(db);

/** A client statement as Hrana's (the client's own conversion: positional or named arguments). */
function hranaStmt(stmt: InStatement): hrana.Stmt {
  const [sql, args] = typeof stmt === 'string' ? [stmt, undefined] : [stmt.sql, stmt.args];
  const statement = new hrana.Stmt(sql);
  if (Array.isArray(args)) statement.bindIndexes(args as hrana.InValue[]);
  else if (args) for (const [name, value] of Object.entries(args)) statement.bindName(name, value as hrana.InValue);
  return statement;
}

/** Hrana's rows as the client's ResultSet (what `execute` gives). */
function resultSet(rows: hrana.RowsResult): ResultSet {
  const result = {
    columns: rows.columnNames.map((c) => c ?? ''), columnTypes: rows.columnDecltypes.map((c) => c ?? ''),
    rows: rows.rows as unknown as ResultSet['rows'], rowsAffected: rows.affectedRowCount, lastInsertRowid: rows.lastInsertRowid,
  };
  return { ...result, toJSON: () => ({ ...result, rows: result.rows.map((r) => Array.from(r as ArrayLike<unknown>)), lastInsertRowid: result.lastInsertRowid?.toString() }) };
}

/**
 * Runs `work` on a kept stream, once one is free. A stream that fails is dropped (whatever
 * state it was left in goes with it). A read that failed on a kept stream (it may have lapsed
 * on the server) is tried once more on a new one, so it fails only when a fresh stream fails
 * too: trying a read again changes nothing. A write is never tried again.
 */
async function onKeptStream<T>(db: Db, work: (stream: hrana.Stream) => Promise<T>, again = true): Promise<T> {
  const server = servers.get(db);
  if (!server) throw new Error('this client does not reach the server through kept streams');
  if (server.busy < STREAMS) server.busy++;
  else await new Promise<void>((resolve) => server.waiting.push(resolve));
  try {
    liveClient(server);
    const kept = takeKept(server);
    for (const reused of kept && again ? [true, false] : [Boolean(kept)]) {
      const stream = reused ? kept! : liveClient(server).openStream();
      try {
        const result = await work(stream);
        keep(db, server, stream);
        return result;
      } catch (error) {
        stream.close();
        if (!reused || !again) throw asLibsqlError(error);
      }
    }
    throw new Error('unreachable');
  } finally {
    // the slot goes to the next waiting statement, if any
    const next = server.waiting.shift();
    if (next) next();
    else server.busy--;
  }
}

/** An idle kept stream still worth using, if there is one. */
function takeKept(server: Server): hrana.Stream | undefined {
  const now = Date.now();
  let kept: Kept | undefined;
  while ((kept = server.idle.pop()) && (kept.stream.closed || now - kept.idleSince > STREAM_IDLE_MS)) kept.stream.close();
  return kept?.stream;
}

/** A stream that answered goes back among the idle ones. */
function keep(db: Db, server: Server, stream: hrana.Stream): void {
  if (servers.get(db) === server && !stream.closed) server.idle.push({ stream, idleSince: Date.now() });
  else stream.close();
}

/** The server's refusal as the client reports it (a LibsqlError with SQLite's code). */
function asLibsqlError(error: unknown): unknown {
  return error instanceof hrana.ResponseError ? new LibsqlError(error.message, error.code ?? 'SQLITE_ERROR', undefined, undefined, error) : error;
}

/** A read on a kept stream, answered as the client's `execute` would. */
export function serverRead(db: Db, stmt: InStatement): Promise<ResultSet> {
  return onKeptStream(db, async (stream) => resultSet(await stream.query(hranaStmt(stmt))));
}

/**
 * The client's `batch(statements, 'read')` on a kept stream: one read-only transaction, sent
 * as one request, with the client's own steps (each statement only if the one before
 * succeeded and the transaction is still open; ROLLBACK unless COMMIT succeeded).
 */
export function serverReadBatch(db: Db, stmts: InStatement[]): Promise<ResultSet[]> {
  return onKeptStream(db, (stream) => inTransaction(db, stream, 'BEGIN TRANSACTION READONLY', stmts));
}

/**
 * The client's `batch(statements, 'write')` on a kept stream: one transaction (BEGIN
 * IMMEDIATE), one request, the same steps. Unlike a read it is never sent twice: once sent it
 * may have been applied, so a failure reaches the caller as the client's own would. A stream
 * is taken only from a client whose socket is open, so a server that restarted costs no write.
 */
export function serverWriteBatch(db: Db, stmts: InStatement[]): Promise<ResultSet[]> {
  return onKeptStream(db, (stream) => inTransaction(db, stream, 'BEGIN IMMEDIATE', stmts), false);
}

/** `stmts` in one transaction opened by `begin`, as the client's batch runs them. */
async function inTransaction(db: Db, stream: hrana.Stream, begin: string, stmts: InStatement[]): Promise<ResultSet[]> {
  const version = await servers.get(db)!.client.getVersion();
  const batch = stream.batch(version >= 3);
  const first = batch.step();
  const began = first.run(begin);
  const after = (step: hrana.BatchStep, previous: hrana.BatchStep) => {
    step.condition(hrana.BatchCond.ok(previous));
    if (version >= 3) step.condition(hrana.BatchCond.not(hrana.BatchCond.isAutocommit(batch)));
    return step;
  };
  let last = first;
  const queries = stmts.map((stmt) => {
    last = after(batch.step(), last);
    const query = last.query(hranaStmt(stmt));
    query.catch(() => undefined);
    return query;
  });
  const commit = after(batch.step(), last);
  const committed = commit.run('COMMIT');
  committed.catch(() => undefined);
  batch.step().condition(hrana.BatchCond.not(hrana.BatchCond.ok(commit))).run('ROLLBACK').catch(() => undefined);
  await batch.execute();
  await began;
  const results: ResultSet[] = [];
  for (const query of queries) {
    const rows = await query;
    if (rows === undefined) throw new LibsqlError('a statement of the batch was not run: its transaction ended', 'TRANSACTION_CLOSED');
    results.push(resultSet(rows));
  }
  await committed;
  return results;
}
