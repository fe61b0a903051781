// The main thread's side of the preparing thread: one request per panel, answered in turn.
// If the thread dies, what it was preparing fails (the run stops and resumes later, as after
// any crash) and the next request starts a new one.
import { threadPool } from '../threads/pool.ts';
import type { PrepareRequest, PreparedMessage, WorkerData } from './protocol.ts';

export type Preparer = {
  prepare(panelId: number, submissionId: number, runAt: Date): Promise<PreparedMessage | null>;
  /** a message's buffer, sent and read: the thread may write into it again (it goes with the next request) */
  recycle(buffer: ArrayBuffer): void;
  /** whether a thread is running now */
  running(): boolean;
  /** stops the thread now unless a panel is being prepared */
  release(): Promise<void>;
  close(): Promise<void>;
};

/** An idle thread is stopped after a minute by default: the runs are daily at most, its memory is not. */
export function startPreparer(data: WorkerData, { idleMs = 60_000 } = {}): Preparer {
  const pool = threadPool<PrepareRequest, PreparedMessage | null>(new URL('./thread.ts', import.meta.url), data,
    { label: 'preparing a panel', idleMs });
  let recycled: ArrayBuffer[] = [];
  return {
    prepare(panelId, submissionId, runAt) {
      const returned = recycled;
      recycled = [];
      return pool.request({ panelId, submissionId, runAtMs: runAt.getTime(), recycled: returned }, returned);
    },
    recycle: (buffer) => void recycled.push(buffer),
    running: pool.running,
    async release() {
      recycled = [];
      await pool.release();
    },
    async close() {
      recycled = [];
      await pool.close();
    },
  };
}
