import type { InStatement } from '@libsql/client';
import type { Db } from './db.ts';

/** A statement that certainly only reads; anything else may write (a WITH may insert). */
const READ = /^\s*(SELECT|PRAGMA|EXPLAIN)\b/i;
const sqlOf = (s: InStatement) => (typeof s === 'string' ? s : s.sql);

/**
 * The client with this process's writes to a libSQL server sent one at a time. sqld keeps
 * a request that finds the write lock taken waiting inside the server, spinning for it
 * (`ManagedConnectionWalWrapper::acquire` was most of sqld's CPU in a province run by two
 * portals: a dozen of each portal's panels waited at once), and the spinning took the CPU the
 * lock's holder needed. Waiting here instead costs nothing, and each write still runs as it
 * was asked (a batch stays one transaction); reads are never held. A file needs none of this:
 * its client runs one statement at a time already.
 */
export function oneWriteAtATime(db: Db): Db {
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const result = last.then(work, work);
    last = result.catch(() => {});
    return result;
  };
  return new Proxy(db, {
    get(target, name) {
      if (name === 'batch') {
        return (stmts: InStatement[], mode?: Parameters<Db['batch']>[1]) =>
          (mode === 'read' ? target.batch(stmts, mode) : inTurn(() => target.batch(stmts, mode)));
      }
      if (name === 'execute') {
        const execute = (stmt: InStatement, args?: unknown) => target.execute(stmt as string, args as never);
        return (stmt: InStatement, args?: unknown) => (READ.test(sqlOf(stmt)) ? execute(stmt, args) : inTurn(() => execute(stmt, args)));
      }
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
