// A thread for test/threads/pool.test.ts: answers each request at once, and besides posts a
// stray answer (for no request) every millisecond — as an answer still on its way when the
// pool is closed would arrive.
import { parentPort } from 'node:worker_threads';
import { serveRequests } from '../../src/threads/pool.ts';

serveRequests((n: number) => n + 1);
setInterval(() => parentPort!.postMessage({ id: -1, answer: null }), 1);
