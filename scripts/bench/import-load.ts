// Page p99 during an import: autocannon keeps asking for a page while a clinic-sized extract
// (10,000 patients) goes through the Import page as a user takes it — upload and preview, the
// preview page, Apply — against a fresh server process. Two pages: one that only reads, and
// the members page, which writes its audit entry (and so waits for the import's write lock). Run with the import on its importing
// thread (as the portal runs) and, for comparison, on the main thread, alternately.
import autocannon from 'autocannon';
import { clinicExtract } from '../../test/support/clinic-extract.ts';
import { startPageServer, type PageServer } from './processes.ts';

export type ImportMode = 'thread' | 'main';

type Latencies = { requests: number; p50: number | null; p99: number | null; max: number | null };

export type ImportLoadFigures = {
  mode: ImportMode;
  page: ImportPage;
  patients: number;
  fileMb: number;
  /** the three requests of the import, each timed from the bench: upload + preview, the preview page, Apply */
  uploadSeconds: number;
  previewSeconds: number;
  applySeconds: number;
  /** the page's latencies before the import, and of the requests that overlapped it */
  before: Latencies;
  during: Latencies;
  non2xx: number;
  serverPeakRssMb: number | null;
};

export type ImportPage = { label: string; path: string };
/** a signed-in page that reads almost nothing: what waits is the event loop, not the page's own work */
export const INBOX_PAGE: ImportPage = { label: 'GET /inbox (signed in, ~empty)', path: '/inbox' };
const CONNECTIONS = 8;
const QUIET_MS = 2_000;

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
function latencies(ms: number[]): Latencies {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted.length
    ? { requests: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] }
    : { requests: 0, p50: null, p99: null, max: null };
}

async function timed(work: () => Promise<Response>, expected: number): Promise<{ seconds: number; response: Response }> {
  const started = performance.now();
  const response = await work();
  await response.clone().arrayBuffer();
  if (response.status !== expected) throw new Error(`the import answered ${response.status}, not ${expected}`);
  return { seconds: (performance.now() - started) / 1000, response };
}

/** The import as a user takes it; returns when Apply has answered. */
async function importThroughPage(server: PageServer, text: string) {
  const headers = { cookie: server.cookie, origin: server.base };
  const form = new FormData();
  form.set('file', new File([text], 'clinic.json', { type: 'application/json' }));
  const upload = await timed(() => fetch(`${server.base}/settings/cii-cpar/import`, { method: 'POST', headers, body: form, redirect: 'manual' }), 303);
  const preview = `${server.base}${upload.response.headers.get('Location')}`;
  const page = await timed(() => fetch(preview, { headers }), 200);
  const apply = await timed(() => fetch(`${preview}/apply`, { method: 'POST', headers, redirect: 'manual' }), 303);
  return { uploadSeconds: upload.seconds, previewSeconds: page.seconds, applySeconds: apply.seconds };
}

/** `prefix` keeps each run's clinic apart from the others imported into the same database. */
export async function pageDuringImport(dbPath: string, at: Date, page: ImportPage, mode: ImportMode, prefix: number, patients = 10_000): Promise<ImportLoadFigures> {
  const text = clinicExtract(patients, prefix);
  const server = await startPageServer(dbPath, at, { env: mode === 'main' ? { BENCH_IMPORT_IN_PLACE: '1' } : {} });
  try {
    await fetch(`${server.base}${page.path}`, { headers: { cookie: server.cookie } }).then((r) => r.arrayBuffer());
    const answers: { end: number; ms: number }[] = [];
    const run = autocannon({ url: server.base + page.path, connections: CONNECTIONS, duration: 600, timeout: 60, headers: { cookie: server.cookie } });
    run.on('response', (_client, _status, _bytes, ms) => answers.push({ end: performance.now(), ms }));
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    const importStart = performance.now();
    const steps = await importThroughPage(server, text);
    const importEnd = performance.now();
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS / 2));
    run.stop();
    const result = await run;
    const overlapped = answers.filter((a) => a.end > importStart && a.end - a.ms < importEnd).map((a) => a.ms);
    return {
      mode, page, patients, fileMb: text.length / 2 ** 20, ...steps,
      before: latencies(answers.filter((a) => a.end <= importStart).map((a) => a.ms)),
      during: latencies(overlapped), non2xx: result.non2xx, serverPeakRssMb: server.peakRssMb(),
    };
  } finally {
    await server.stop();
  }
}
