import Database from 'libsql';
import type { Db } from './db.ts';

// The reads every request makes (its session, the data's version) cost more to parse and plan
// than to run: @libsql/client prepares each statement anew. For a database file they run here,
// prepared once, on a connection of the native driver to the same file that only reads. Each read
// is its own read transaction, so it sees every write committed before it — by this process's
// client or by another process — exactly as the client's own read would.

/** how long a statement waits for the database's lock: the client tries again within it (busy-retry.ts), the reader's busy handler waits it out */
export const BUSY_TIMEOUT_MS = 5000;

type Reader = { db: Database.Database; statements: Map<string, Database.Statement> };

const files = new WeakMap<Db, string>();
const readers = new WeakMap<Db, Reader>();

/** Called by openDatabase for a client of a database file (not for sqld or memory). */
export function readFromFile(db: Db, path: string): void {
  files.set(db, path);
}

/** Closes the file's read connection with its client (openDatabase's close): later reads fail as the client's do. */
export function closeReader(db: Db): void {
  readers.get(db)?.db.close();
  readers.delete(db);
  files.delete(db);
}

/**
 * The first row of a read (`?` arguments), or undefined: prepared once per statement for a
 * database file, through the client otherwise (on a server, its reads go on kept streams:
 * server-streams.ts). A BLOB comes back as bytes either way.
 */
export async function readRow(db: Db, sql: string, args: (string | number)[] = []): Promise<Record<string, unknown> | undefined> {
  const path = files.get(db);
  if (path === undefined) return (await db.execute({ sql, args })).rows[0];
  let reader = readers.get(db);
  if (!reader) readers.set(db, (reader = { db: new Database(path, { timeout: BUSY_TIMEOUT_MS }), statements: new Map() }));
  let statement = reader.statements.get(sql);
  if (!statement) reader.statements.set(sql, (statement = reader.db.prepare(sql)));
  return statement.get(...args) as Record<string, unknown> | undefined;
}
