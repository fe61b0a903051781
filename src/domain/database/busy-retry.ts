import type { Db } from './db.ts';

/** A locked database: SQLite's SQLITE_BUSY, as the file client and sqld report it. */
export function isBusy(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(`${e?.code ?? ''} ${e?.message ?? ''}`);
}

export type BusyRetry = { budgetMs?: number; firstDelayMs?: number; maxDelayMs?: number };

/**
 * The database with its writes retried while another connection holds the write lock. A
 * statement or batch that failed busy did not apply (a batch is one transaction), so doing
 * it again is safe. Retries back off up to `maxDelayMs` and stop after `budgetMs`.
 */
export function retryWhenBusy(db: Db, { budgetMs = 60_000, firstDelayMs = 50, maxDelayMs = 2_000 }: BusyRetry = {}): Db {
  const retried = async <T>(work: () => Promise<T>): Promise<T> => {
    const end = Date.now() + budgetMs;
    for (let delay = firstDelayMs; ; delay = Math.min(delay * 2, maxDelayMs)) {
      try {
        return await work();
      } catch (error) {
        if (!isBusy(error) || Date.now() + delay > end) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
      }
    }
  };
  return new Proxy(db, {
    get(target, name) {
      if (name === 'execute') return (...args: Parameters<Db['execute']>) => retried(() => target.execute(...args));
      if (name === 'batch') return (...args: Parameters<Db['batch']>) => retried(() => target.batch(...args));
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
