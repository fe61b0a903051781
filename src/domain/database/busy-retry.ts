import type { Db } from './db.ts';

/** A locked database: SQLite's SQLITE_BUSY, as the file client and sqld report it. */
export function isBusy(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(`${e?.code ?? ''} ${e?.message ?? ''}`);
}

export type BusyRetry = { budgetMs?: number; firstDelayMs?: number; maxDelayMs?: number };

/**
 * Does `work` again while it fails busy: a statement or batch that failed busy did not apply
 * (a batch is one transaction), so doing it again is safe. Retries back off up to
 * `maxDelayMs` and stop after `budgetMs`; the thread is free while they wait.
 */
export async function whenNotBusy<T>(work: () => Promise<T>, { budgetMs = 60_000, firstDelayMs = 50, maxDelayMs = 2_000 }: BusyRetry = {}): Promise<T> {
  const end = Date.now() + budgetMs;
  for (let delay = firstDelayMs; ; delay = Math.min(delay * 2, maxDelayMs)) {
    try {
      return await work();
    } catch (error) {
      if (!isBusy(error) || Date.now() + delay > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
    }
  }
}

/** The database with its statements and batches retried while it is busy (whenNotBusy), with its own budget. */
export function retryWhenBusy(db: Db, options: BusyRetry = {}): Db {
  return new Proxy(db, {
    get(target, name) {
      if (name === 'execute') return (...args: Parameters<Db['execute']>) => whenNotBusy(() => target.execute(...args), options);
      if (name === 'batch') return (...args: Parameters<Db['batch']>) => whenNotBusy(() => target.batch(...args), options);
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A database file's client waits for another connection's write lock (an import's Apply on
 * its thread, another portal, the CLI) without holding the thread: its connections have no
 * busy timeout, so SQLite answers busy at once instead of sleeping in its busy handler — which
 * held every request of the process, reads included, for as long as the lock was held — and
 * the statement, batch or transaction's start is tried again a few milliseconds later, within
 * `budgetMs`. In place, so that the client keeps its identity (what is kept per client is
 * found by it). A transaction holds the lock once begun; `executeMultiple` is not atomic, so
 * it is not retried (only migrations use it, inside their transaction).
 */
export function waitForLocksAsynchronously(db: Db, budgetMs: number): void {
  const options = { budgetMs, firstDelayMs: 2, maxDelayMs: 50 };
  const execute = db.execute.bind(db) as (...args: unknown[]) => ReturnType<Db['execute']>;
  const batch = db.batch.bind(db);
  const transaction = db.transaction.bind(db);
  db.execute = ((...args: unknown[]) => whenNotBusy(() => execute(...args), options)) as Db['execute'];
  db.batch = ((...args: Parameters<Db['batch']>) => whenNotBusy(() => batch(...args), options)) as Db['batch'];
  db.transaction = ((...args: Parameters<Db['transaction']>) => whenNotBusy(() => transaction(...args), options)) as Db['transaction'];
}
