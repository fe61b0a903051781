import * as hrana from '@libsql/hrana-client';
import { LibsqlError, type InStatement, type ResultSet } from '@libsql/client';
import type { Db } from './db.ts';
import { serverFetch } from './server-fetch.ts';

// The client's reads (its `execute` of a SELECT, its read batches) when the database is a
// libSQL server, run on streams kept open between requests (one-writer.ts sends them here). The
// client opens a stream for each statement and closes it with the answer, and sqld sets up a connection for every stream —
// reading the portal's schema each time: against a local sqld, a `SELECT 1` cost sqld 1.9 ms of
// CPU on a new stream and 0.46 ms on a kept one. A kept stream runs each statement on its own,
// outside any transaction, so it sees every write committed before it, by any portal, as the
// client's own read would.

/** Streams kept idle per client: as many reads as are usually in flight at once. */
const KEPT_STREAMS = 8;
/** A stream idle this long is not used again (sqld lets an idle stream lapse after about 10 s). */
export const STREAM_IDLE_MS = 5_000;

type Kept = { stream: hrana.HttpStream; idleSince: number };
type Server = { client: hrana.HttpClient; idle: Kept[] };

const servers = new WeakMap<Db, Server>();

/** Called by openDatabase for a client of a server reached over HTTP(S). */
export function readFromServer(db: Db, url: string, authToken: string | undefined): void {
  const client = hrana.openHttp(url, authToken, serverFetch as unknown as typeof fetch);
  servers.set(db, { client, idle: [] });
}

/** Closes the kept streams with their client (openDatabase's close). */
export function closeServerReads(db: Db): void {
  const server = servers.get(db);
  servers.delete(db);
  if (!server) return;
  for (const kept of server.idle) kept.stream.close();
  server.client.close();
}

/** Whether `db` reads through kept streams. */
export const readsFromServer = (db: Db): boolean => servers.has(db);

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
 * Runs `work` on a kept stream. A stream that fails is dropped (whatever state it was left
 * in goes with it); a kept one (it may have lapsed on the server) is replaced by a new one
 * and the work tried once more, so it fails only when a fresh stream fails too. Only reads
 * come here: trying one again changes nothing.
 */
async function onKeptStream<T>(db: Db, work: (stream: hrana.HttpStream) => Promise<T>): Promise<T> {
  const server = servers.get(db);
  if (!server) throw new Error('this client does not read through kept streams');
  const now = Date.now();
  let kept: Kept | undefined;
  while ((kept = server.idle.pop()) && (kept.stream.closed || now - kept.idleSince > STREAM_IDLE_MS)) kept.stream.close();
  for (const reused of kept ? [true, false] : [false]) {
    const stream = reused ? kept!.stream : server.client.openStream();
    try {
      const result = await work(stream);
      if (server.idle.length < KEPT_STREAMS && servers.get(db) === server) server.idle.push({ stream, idleSince: Date.now() });
      else stream.close();
      return result;
    } catch (error) {
      stream.close();
      if (!reused) throw error instanceof hrana.ResponseError ? new LibsqlError(error.message, error.code ?? 'SQLITE_ERROR', undefined, undefined, error) : error;
    }
  }
  throw new Error('unreachable');
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
  return onKeptStream(db, async (stream) => {
    const version = await servers.get(db)!.client.getVersion();
    const batch = stream.batch(version >= 3);
    const begin = batch.step();
    const began = begin.run('BEGIN TRANSACTION READONLY');
    const inTransaction = (step: hrana.BatchStep, after: hrana.BatchStep) => {
      step.condition(hrana.BatchCond.ok(after));
      if (version >= 3) step.condition(hrana.BatchCond.not(hrana.BatchCond.isAutocommit(batch)));
      return step;
    };
    let last = begin;
    const queries = stmts.map((stmt) => {
      last = inTransaction(batch.step(), last);
      return last.query(hranaStmt(stmt));
    });
    const commit = inTransaction(batch.step(), last);
    const committed = commit.run('COMMIT');
    batch.step().condition(hrana.BatchCond.not(hrana.BatchCond.ok(commit))).run('ROLLBACK').catch(() => undefined);
    await batch.execute();
    await began;
    const results: ResultSet[] = [];
    for (const query of queries) {
      const rows = await query;
      if (rows === undefined) throw new LibsqlError('a statement of the read batch was not run: its transaction ended', 'TRANSACTION_CLOSED');
      results.push(resultSet(rows));
    }
    await committed;
    return results;
  });
}
