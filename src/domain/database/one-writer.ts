import { onServerStreams, serverRead, serverReadBatch, serverWriteBatch } from './server-streams.ts';
import type { InStatement, ResultSet } from '@libsql/client';
import type { Db } from './db.ts';

/** A statement that certainly only reads; anything else may write (a WITH may insert). */
const READ = /^\s*(SELECT|PRAGMA|EXPLAIN)\b/i;
const sqlOf = (s: InStatement) => (typeof s === 'string' ? s : s.sql);

/** A write waiting for its turn: its statements, and whom to tell what they returned. */
type Write = { statements: InStatement[]; done(results: ResultSet[]): void; failed(error: unknown): void };

/**
 * The client with this process's writes to a libSQL server sent one at a time. sqld keeps
 * a request that finds the write lock taken waiting inside the server, spinning for it
 * (`ManagedConnectionWalWrapper::acquire` was most of sqld's CPU in a province run by two
 * portals: a dozen of each portal's panels waited at once), and the spinning took the CPU the
 * lock's holder needed. Waiting here instead costs nothing. The writes that waited while one
 * was in flight go next as one batch — one transaction, one round trip — each with what its
 * own statements returned; if that batch fails (it applied nothing), each goes again alone,
 * so a write succeeds or fails as it would have by itself. Reads are never held. A file needs
 * none of this: its client runs one statement at a time already.
 */
export function oneWriteAtATime(db: Db): Db {
  let waiting: Write[] = [];
  let inFlight = false;
  const send = async (writes: Write[]) => {
    try {
      const statements = writes.flatMap((w) => w.statements);
      // on a stream kept between writes when the database is a server (server-streams.ts)
      const results = await (onServerStreams(proxy) ? serverWriteBatch(proxy, statements) : db.batch(statements, 'write'));
      let at = 0;
      for (const w of writes) w.done(results.slice(at, (at += w.statements.length)));
    } catch (error) {
      if (writes.length === 1) return writes[0].failed(error);
      for (const w of writes) await send([w]);
    }
  };
  const pump = async () => {
    if (inFlight) return;
    inFlight = true;
    while (waiting.length) {
      const writes = waiting;
      waiting = [];
      await send(writes);
    }
    inFlight = false;
  };
  const write = (statements: InStatement[]) => new Promise<ResultSet[]>((done, failed) => {
    waiting.push({ statements, done, failed });
    void pump();
  });
  const proxy: Db = new Proxy(db, {
    get(target, name) {
      if (name === 'batch') {
        return (stmts: InStatement[], mode?: Parameters<Db['batch']>[1]) => (mode !== 'read' ? write(stmts)
          : onServerStreams(proxy) ? serverReadBatch(proxy, stmts) : target.batch(stmts, mode));
      }
      if (name === 'execute') {
        return (stmt: InStatement, args?: unknown) => {
          const statement = typeof stmt === 'string' && args !== undefined ? ({ sql: stmt, args } as InStatement) : stmt;
          if (!READ.test(sqlOf(statement))) return write([statement]).then((results) => results[0]);
          // on a stream kept between reads when the database is a server (server-streams.ts)
          return onServerStreams(proxy) ? serverRead(proxy, statement) : target.execute(statement);
        };
      }
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return proxy;
}
