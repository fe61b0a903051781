// One worker thread answering requests in turn, for work that would otherwise hold the event
// loop (an upload's reading, checking and applying). Requests and answers are
// structured clones; bytes can be transferred. If the thread dies, what waits fails and the
// next request starts a new thread; an idle thread does not keep the process alive and stops
// after a while.
import { parentPort, Worker } from 'node:worker_threads';

/** Another thread can open the same database only when it is a file or a server, not memory. */
export function sharedDatabase(url: string): boolean {
  return url !== ':memory:' && !/^file::memory:|[?&]mode=memory\b/.test(url);
}

export type ThreadPool<Req, Res> = {
  request(request: Req, transfer?: ArrayBuffer[]): Promise<Res>;
  /** whether a thread is running now */
  running(): boolean;
  /** Stops the thread now if nothing waits on it (its memory back at once); the next request starts another. */
  release(): Promise<void>;
  close(): Promise<void>;
};

type Envelope<T> = { id: number; body: T };
/** error: the message; code: its code when it has one (SQLITE_FULL, …), so the portal can say what it means */
export type Reply<Res> = { id: number; answer: Res } | { id: number; error: string; code?: string };

/**
 * Starts (lazily) the thread whose module is `entry`; it runs TypeScript like the rest of the
 * portal, so tsx is registered before the module loads.
 */
export function threadPool<Req, Res>(entry: URL, workerData: unknown, { label, idleMs = 60_000 }: { label: string; idleMs?: number }): ThreadPool<Req, Res> {
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve(answer: Res): void; reject(error: Error): void }>();
  let idle: NodeJS.Timeout | undefined;

  function failAll(error: Error) {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    worker = null;
  }

  function thread(): Worker {
    if (worker) return worker;
    const started = new Worker(boot, { eval: true, workerData });
    started.unref();
    started.on('message', (reply: Reply<Res>) => {
      const w = waiting.get(reply.id);
      waiting.delete(reply.id);
      // Idle: the thread no longer keeps the process alive — unless it is being stopped (an
      // answer can still arrive then), when whoever stops it waits for it to end.
      if (waiting.size === 0 && worker === started) {
        started.unref();
        idle = setTimeout(() => {
          if (worker === started && waiting.size === 0) {
            worker = null;
            void started.terminate();
          }
        }, idleMs).unref();
      }
      if ('error' in reply) w?.reject(Object.assign(new Error(`${label} failed: ${reply.error}`), reply.code ? { code: reply.code } : {}));
      else w?.resolve(reply.answer);
    });
    started.on('error', (error) => {
      if (worker === started) failAll(new Error(`the thread for ${label} failed: ${error.message}`));
    });
    started.on('exit', (code) => {
      if (worker === started) failAll(new Error(`the thread for ${label} stopped (exit code ${code})`));
    });
    worker = started;
    return started;
  }

  return {
    request(body, transfer = []) {
      const envelope: Envelope<Req> = { id: nextId++, body };
      clearTimeout(idle);
      return new Promise((resolve, reject) => {
        waiting.set(envelope.id, { resolve, reject });
        const target = thread();
        target.ref();
        target.postMessage(envelope, transfer);
      });
    },
    running: () => worker !== null,
    async release() {
      const stopping = worker;
      if (!stopping || waiting.size > 0) return;
      clearTimeout(idle);
      worker = null;
      await stopping.terminate();
    },
    async close() {
      clearTimeout(idle);
      const stopping = worker;
      worker = null;
      failAll(new Error(`the thread for ${label} was closed`));
      if (stopping) await stopping.terminate();
    },
  };
}

/**
 * The thread's side: answers each request with `answer`, one at a time and in order, and
 * transfers the bytes `transferOf` names. An error's message is sent back; it must name no
 * patient's values (database and validation errors do not).
 */
export function serveRequests<Req, Res>(answer: (request: Req) => Promise<Res> | Res, transferOf: (answer: Res) => ArrayBuffer[] = () => []) {
  const port = parentPort!;
  let queue = Promise.resolve();
  port.on('message', ({ id, body }: Envelope<Req>) => {
    queue = queue.then(async () => {
      let reply: Reply<Res>;
      try {
        reply = { id, answer: await answer(body) };
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        reply = { id, error: error instanceof Error ? error.message : 'unknown error', ...(typeof code === 'string' ? { code } : {}) };
      }
      port.postMessage(reply, 'answer' in reply ? transferOf(reply.answer) : []);
    });
  });
}
