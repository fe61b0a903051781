// The main thread's side of the importing thread: the Import page's requests, answered in turn.
// If the thread dies, the request waiting fails (nothing half-written: an import is one
// transaction) and the next one starts a new thread.
import type { Clock } from '../domain/time/clock.ts';
import type { Importer } from '../domain/import/importer.ts';
import type { ApplyResult, GetResult, StartResult } from '../domain/import/import-previews.ts';
import type { Mapped } from '../domain/import/csv-uploads.ts';
import { threadPool } from '../threads/pool.ts';
import type { ImportJob, ImporterData, ImportWork } from './protocol.ts';

export type ImportingThread = Importer & {
  /** whether a thread is running now */
  running(): boolean;
  /** stops the thread once the work asked of it is done (an apply under way ends as it would) */
  close(): Promise<void>;
};

type Answer = StartResult | GetResult | ApplyResult | Mapped;

/** An idle thread stops after a minute by default: imports are rare, its memory is not small. */
export function startImportingThread(data: ImporterData, clock: Clock, { idleMs = 60_000 } = {}): ImportingThread {
  const pool = threadPool<ImportJob, Answer>(new URL('./thread.ts', import.meta.url), data, { label: 'an import', idleMs });
  const underWay = new Set<Promise<Answer>>();
  function ask<T extends Answer>(work: ImportWork): Promise<T> {
    const asked = pool.request({ ...work, nowMs: clock.now().getTime() });
    underWay.add(asked);
    const settled = () => underWay.delete(asked);
    asked.then(settled, settled);
    return asked as Promise<T>;
  }
  return {
    start: (scope, files) => ask<StartResult>({ op: 'start', scope, files }),
    get: (scope, token) => ask<GetResult>({ op: 'get', scope, token }),
    apply: (scope, token, audit) => ask<ApplyResult>({ op: 'apply', scope, token, audit }),
    mapCsv: (scope, token, choices) => ask<Mapped>({ op: 'mapCsv', scope, token, choices }),
    running: pool.running,
    async close() {
      await Promise.allSettled([...underWay]);
      await pool.close();
    },
  };
}
