// A CSV panel list on the Import page: step 1, its upload (taken here before the JSON and FHIR
// upload, which gets every other file), and step 2, the column mapping (guessed, shown,
// corrected) and the date question. Step 3 is the ordinary import preview.
import { Hono } from 'hono';
import { IMPORT_MAX_BYTES } from '../domain/import/import-previews.ts';
import { importerOn } from '../domain/import/importer.ts';
import { discardCsvUpload, getCsvUpload, isCsvUpload, startCsvUpload } from '../domain/import/csv-uploads.ts';
import { FIELDS, isDateFormat, type Field } from '../domain/import/csv-mapping.ts';
import { csvPlace } from '../domain/import/csv-translate.ts';
import type { CsvChoices } from '../domain/import/csv-import.ts';
import { ImportMappingPage, csvMappingUrl } from '../views/import-mapping.tsx';
import { ImportPage, importPreviewUrl, importUrl } from '../views/import-page.tsx';
import { ErrorPage } from '../views/error-page.tsx';
import { page, type AppContext, type AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';

const TOKEN = '{[0-9a-f-]{36}}';

const notFound = (c: AppContext) => page(c, <ErrorPage status={404} message="There is no such upload." chrome={c.var.chrome} />, 404);

/** The form's choices: `map.<field>` a column ('' for none), `dates` a format. */
function choicesOf(body: Record<string, unknown>): CsvChoices {
  const mapping: Partial<Record<Field, string | null>> = {};
  for (const field of FIELDS) {
    const value = body[`map.${field}`];
    if (typeof value === 'string') mapping[field] = value === '' ? null : value;
  }
  return { mapping, dates: isDateFormat(body.dates) ? body.dates : undefined };
}

export const csvImportRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .post('/import', async (c, next) => {
    // `all`, as the Import page's own handler reads it: Hono keeps the first parse for both.
    const body = await c.req.parseBody({ all: true });
    const file = body.file;
    if (!(file instanceof File) || file.size === 0 || !isCsvUpload(file.name, file.type)) return next();
    const fileName = file.name.slice(0, 200);
    if (file.size > IMPORT_MAX_BYTES) {
      return page(c, <ImportPage fileName={fileName} problems={[{ path: 'file', message: `larger than the ${IMPORT_MAX_BYTES / 1024 / 1024} MB limit` }]} chrome={c.var.chrome} />, 413);
    }
    const kept = await startCsvUpload(c.var.deps.db, c.var.deps.clock, c.var.scope, fileName, Buffer.from(await file.arrayBuffer()));
    if (kept.ok) return c.redirect(csvMappingUrl(kept.token), 303);
    const problems = kept.problems.map((p) => ({ path: csvPlace(p), message: p.message }));
    return page(c, <ImportPage fileName={fileName} problems={problems} chrome={c.var.chrome} />, 422);
  })
  .get(`/import/csv/:token${TOKEN}`, async (c) => {
    const step = await getCsvUpload(c.var.deps.db, c.var.scope, c.req.param('token'));
    if (!step) return notFound(c);
    return page(c, <ImportMappingPage step={step} chrome={c.var.chrome} />);
  })
  .post(`/import/csv/:token${TOKEN}`, async (c) => {
    const { db, clock } = c.var.deps;
    const token = c.req.param('token');
    const choices = choicesOf(await c.req.parseBody());
    const mapped = await (c.var.deps.importer ?? importerOn(db, clock)).mapCsv(c.var.scope, token, choices);
    if (mapped.ok) return c.redirect(importPreviewUrl(mapped.previewToken), 303);
    const step = mapped.reason === 'refused' ? await getCsvUpload(db, c.var.scope, token, choices) : null;
    if (!step || mapped.reason !== 'refused') return notFound(c);
    return page(c, <ImportMappingPage step={step} problems={mapped.problems} chosenDates={choices.dates} chrome={c.var.chrome} />, 422);
  })
  .post(`/import/csv/:token${TOKEN}/cancel`, async (c) => {
    if (!(await discardCsvUpload(c.var.deps.db, c.var.scope, c.req.param('token')))) return notFound(c);
    return c.redirect(importUrl, 303);
  });
