// The main thread's side of the preparing thread: one request per panel, answered in turn.
// If the thread dies, what it was preparing fails (the run stops and resumes later, as after
// any crash) and the next request starts a new one.
import { Worker } from 'node:worker_threads';
import type { PrepareReply, PrepareRequest, PreparedMessage, WorkerData } from './protocol.ts';

export type Preparer = {
  prepare(panelId: number, submissionId: number, runAt: Date): Promise<PreparedMessage | null>;
  /** whether a thread is running now */
  running(): boolean;
  close(): Promise<void>;
};

type Waiting = { resolve(prepared: PreparedMessage | null): void; reject(error: Error): void };

// The thread runs TypeScript like the rest of the portal: it registers tsx before loading.
const ENTRY = new URL('./thread.ts', import.meta.url).href;
const BOOT = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY)}); })`;

/** An idle thread is stopped after this long: the runs are daily at most, its memory is not. */
const IDLE_MS = 60_000;

export function startPreparer(data: WorkerData, { idleMs = IDLE_MS } = {}): Preparer {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, Waiting>();
  let idle: NodeJS.Timeout | undefined;

  function failAll(error: Error) {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    worker = null;
  }

  function thread(): Worker {
    if (worker) return worker;
    const started = new Worker(BOOT, { eval: true, workerData: data });
    started.unref();
    started.on('message', (reply: PrepareReply | { ready: true }) => {
      if (!('id' in reply)) return;
      const w = waiting.get(reply.id);
      waiting.delete(reply.id);
      // An idle thread does not keep the process alive (one with work does), and soon stops.
      if (waiting.size === 0) {
        started.unref();
        idle = setTimeout(() => {
          if (worker === started && waiting.size === 0) {
            worker = null;
            void started.terminate();
          }
        }, idleMs).unref();
      }
      if ('error' in reply) w?.reject(new Error(`preparing a panel failed: ${reply.error}`));
      else w?.resolve(reply.prepared);
    });
    started.on('error', (error) => {
      if (worker === started) failAll(new Error(`the preparing thread failed: ${error.message}`));
    });
    started.on('exit', (code) => {
      if (worker === started) failAll(new Error(`the preparing thread stopped (exit code ${code})`));
    });
    worker = started;
    return started;
  }

  return {
    prepare(panelId, submissionId, runAt) {
      const request: PrepareRequest = { id: nextId++, panelId, submissionId, runAtMs: runAt.getTime() };
      clearTimeout(idle);
      return new Promise((resolve, reject) => {
        waiting.set(request.id, { resolve, reject });
        const target = thread();
        target.ref();
        target.postMessage(request);
      });
    },
    running: () => worker !== null,
    async close() {
      clearTimeout(idle);
      const stopping = worker;
      worker = null;
      failAll(new Error('the preparing thread was closed'));
      if (stopping) await stopping.terminate();
    },
  };
}
