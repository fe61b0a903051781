// The preparing thread: extraction, validation and the Netcare message for one panel at a
// time, on its own database connection, so the main thread's event loop (pages, Netcare
// answers, commits) never waits on a panel's reads or its gigabyte of FHIR.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../domain/db.ts';
import { extractPanel } from '../domain/extraction.ts';
import { validatePanel } from '../domain/validation.ts';
import { messageFromSnapshot } from '../netcare/encode.ts';
import { filePath, nativeExtractor } from './native-extraction.ts';
import type { PrepareReply, PrepareRequest, PreparedMessage, WorkerData } from './protocol.ts';

const { databaseUrl, authToken } = workerData as WorkerData;
const path = filePath(databaseUrl);
// A file is read through the native driver with its statements prepared once; a server
// through the client, as everywhere else.
const extract = path ? nativeExtractor(path).extract
  : await openDatabase(databaseUrl, authToken).then((db) => (panelId: number, at: Date) => extractPanel(db, panelId, at));
const port = parentPort!;

async function prepare({ panelId, submissionId, runAtMs }: PrepareRequest): Promise<PreparedMessage | null> {
  const snapshot = await extract(panelId, new Date(runAtMs));
  if (!snapshot) return null;
  const validation = validatePanel(snapshot);
  // A panel that fails the rules is never sent: no message is built for it.
  const message = validation.ok ? messageFromSnapshot(snapshot, submissionId) : null;
  return { panelId, patientCount: snapshot.patients.length, validation, body: message?.body ?? null, problems: message?.problems ?? [] };
}

// One at a time, in order: the reads are synchronous in this thread anyway.
let queue = Promise.resolve();
port.on('message', (request: PrepareRequest) => {
  queue = queue.then(async () => {
    let reply: PrepareReply;
    try {
      reply = { id: request.id, prepared: await prepare(request) };
    } catch (error) {
      // Database errors name tables and constraints, never a patient's values.
      reply = { id: request.id, error: error instanceof Error ? error.message : 'the panel could not be prepared' };
    }
    const body = 'prepared' in reply ? reply.prepared?.body : null;
    port.postMessage(reply, body ? [body.buffer as ArrayBuffer] : []);
  });
});
port.postMessage({ ready: true });
