// The simulator's log of every request to /cpar, written behind: the requests that arrive
// together are written in one commit, not one commit each (a province's run makes thousands).
// Whoever reads the log waits for what is pending first.
import type { Db } from '../domain/database/db.ts';

export type LoggedRequest = { method: string; path: string; idempotencyKey: string | null; fault: string; at: number };

export type RequestLog = {
  record(request: LoggedRequest): void;
  /** resolves once everything recorded so far is in the database */
  flushed(): Promise<void>;
};

export function createRequestLog(db: Db): RequestLog {
  let pending: LoggedRequest[] = [];
  let writing: Promise<void> = Promise.resolve();
  let scheduled = false;

  function flush(): Promise<void> {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return writing;
    writing = writing.then(() => write(db, batch));
    return writing;
  }

  return {
    record(request) {
      pending.push(request);
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void flush().catch((error: unknown) => console.error('Netcare simulator: the request log could not be written', error)));
      }
    },
    flushed: () => flush(),
  };
}

async function write(db: Db, batch: LoggedRequest[]) {
  await db.execute({
    sql: `INSERT INTO requests (method, path, idempotency_key, fault, received_at)
          SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)`,
    args: [JSON.stringify(batch.map((r) => [r.method, r.path, r.idempotencyKey, r.fault, r.at]))],
  });
}
