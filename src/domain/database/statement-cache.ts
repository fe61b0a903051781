import { createRequire } from 'node:module';

// @libsql/client parses and plans every statement it runs anew (its file driver calls the
// native driver's prepare for each execute and each statement of a batch). Most of the
// portal's statements are the same few hundred texts run again and again, and for many
// planning costs more than running: the monthly run's commits spent ~0.9 s of the main
// thread's 8 s preparing them. Each native connection therefore keeps its most recently used
// statements, by their text, and hands the same one back. That is safe with this driver:
// the client runs a statement to its end (all() or run()) before it runs the next, binds its
// arguments afresh each time, and SQLite prepares a statement again by itself when the schema
// it was planned against changes.

/** statements kept per connection, the least recently used dropped first */
export const KEPT_STATEMENTS = 256;

type Prepare = (this: object, sql: string) => unknown;

const kept = new WeakMap<object, Map<string, unknown>>();
let installed = false;

/** Makes every connection of the native driver (the client's file connections) keep its statements. */
export function keepPreparedStatements(): void {
  if (installed) return;
  installed = true;
  const Database = createRequire(import.meta.url)('libsql') as { prototype: { prepare: Prepare } };
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function keptPrepare(sql) {
    let statements = kept.get(this);
    if (!statements) kept.set(this, (statements = new Map()));
    const statement = statements.get(sql);
    if (statement !== undefined) {
      // most recently used last: a Map keeps insertion order
      statements.delete(sql);
      statements.set(sql, statement);
      return statement;
    }
    const prepared = prepare.call(this, sql); // a statement that does not parse throws, and is not kept
    statements.set(sql, prepared);
    if (statements.size > KEPT_STATEMENTS) statements.delete(statements.keys().next().value!);
    return prepared;
  };
}
