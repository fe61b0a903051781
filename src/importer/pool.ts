// The main thread's side of the importing thread: the Import page's requests, answered in turn.
// If the thread dies, the request waiting fails (nothing half-written: an import is one
// transaction) and the next one starts a new thread.
import type { Clock } from '../domain/time/clock.ts';
import type { Importer } from '../domain/import/importer.ts';
import type { ApplyResult, GetResult, StartResult } from '../domain/import/import-previews.ts';
import { threadPool } from '../threads/pool.ts';
import type { ImportJob, ImporterData } from './protocol.ts';

export type ImportingThread = Importer & { close(): Promise<void> };

/** An idle thread stops after a minute by default: imports are rare, its memory is not small. */
export function startImportingThread(data: ImporterData, clock: Clock, { idleMs = 60_000 } = {}): ImportingThread {
  const pool = threadPool<ImportJob, StartResult | GetResult | ApplyResult>(new URL('./thread.ts', import.meta.url), data,
    { label: 'an import', idleMs });
  const nowMs = () => clock.now().getTime();
  return {
    start: async (scope, files) => await pool.request({ op: 'start', nowMs: nowMs(), scope, files }) as StartResult,
    get: async (scope, token) => await pool.request({ op: 'get', nowMs: nowMs(), scope, token }) as GetResult,
    apply: async (scope, token, audit) => await pool.request({ op: 'apply', nowMs: nowMs(), scope, token, audit }) as ApplyResult,
    close: pool.close,
  };
}
