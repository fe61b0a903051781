// The importing thread: an upload's parsing, checking, preview and write run here, on the
// thread's own database connection, so a clinic-sized file (10,000 patients: seconds of
// JSON, checks and statements) never holds the main thread's event loop and its pages.
import { workerData } from 'node:worker_threads';
import { openDatabase } from '../domain/database/db.ts';
import { ManualClock } from '../domain/time/clock.ts';
import { importerOn } from '../domain/import/importer.ts';
import { serveRequests } from '../threads/pool.ts';
import type { ApplyResult, GetResult, StartResult } from '../domain/import/import-previews.ts';
import type { Mapped } from '../domain/import/csv-uploads.ts';
import type { ImportJob, ImporterData } from './protocol.ts';

const { databaseUrl, authToken } = workerData as ImporterData;
const db = await openDatabase(databaseUrl, authToken);

serveRequests((job: ImportJob): Promise<StartResult | GetResult | ApplyResult | Mapped> => {
  const importer = importerOn(db, new ManualClock(new Date(job.nowMs)));
  if (job.op === 'start') return importer.start(job.scope, job.files);
  if (job.op === 'get') return importer.get(job.scope, job.token);
  if (job.op === 'mapCsv') return importer.mapCsv(job.scope, job.token, job.choices);
  return importer.apply(job.scope, job.token, job.audit);
});
