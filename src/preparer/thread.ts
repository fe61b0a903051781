// The preparing thread: extraction, validation and the Netcare message for one panel at a
// time, on its own database connection, so the main thread's event loop (pages, Netcare
// answers, commits) never waits on a panel's reads or its gigabyte of FHIR.
import { workerData } from 'node:worker_threads';
import { extractRows } from '../domain/pipeline/extraction.ts';
import { validateFacts } from '../domain/panels/validation.ts';
import { messageFromColumns } from '../netcare/encode-columns.ts';
import { BufferPool } from '../netcare/buffer-pool.ts';
import { filePath, nativeExtractor } from './native-extraction.ts';
import { serveRequests } from '../threads/pool.ts';
import type { PrepareRequest, PreparedMessage, WorkerData } from './protocol.ts';

const { databaseUrl, authToken } = workerData as WorkerData;
const path = filePath(databaseUrl);
// A file is read through the native driver with its statements prepared once; a server
// through the client, as everywhere else.
const extract = path ? nativeExtractor(path).extract : await throughClient();

/** The client and its dependencies are loaded only for a server: a file's thread starts without them. */
async function throughClient() {
  const { openDatabase } = await import('../domain/database/db.ts');
  const db = await openDatabase(databaseUrl, authToken);
  return (panelId: number, at: Date) => extractRows(db, panelId, at);
}

// The buffers of messages already sent, written into again (buffer-pool.ts says why).
const buffers = new BufferPool();

async function prepare({ panelId, submissionId, runAtMs, recycled = [] }: PrepareRequest): Promise<PreparedMessage | null> {
  for (const buffer of recycled) buffers.give(Buffer.from(buffer));
  const extracted = await extract(panelId, new Date(runAtMs));
  if (!extracted) return null;
  const validation = validateFacts(extracted.facts);
  // A panel that fails the rules is never sent: no message is built for it (nor its names read).
  const members = validation.ok ? extracted.members() : null;
  const message = members && messageFromColumns(members.panel, members.columns, members.order, submissionId, buffers);
  return { panelId, patientCount: extracted.facts.patientCount, ulis: members ? extracted.uliList() : '[]', validation, body: message?.body ?? null, problems: message?.problems ?? [] };
}

serveRequests(prepare, (prepared) => (prepared?.body ? [prepared.body.buffer as ArrayBuffer] : []));
