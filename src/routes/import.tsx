import { Hono } from 'hono';
import { IMPORT_MAX_BYTES, cancelImport } from '../domain/import/import-previews.ts';
import { importerOn } from '../domain/import/importer.ts';
import { ImportPage, ImportPreviewPage, importPreviewUrl, importUrl } from '../views/import-page.tsx';
import { ErrorPage } from '../views/error-page.tsx';
import { page, type AppContext, type AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';

const TOKEN = '{[0-9a-f-]{36}}';

const notFound = (c: AppContext) => page(c, <ErrorPage status={404} message="There is no such import." chrome={c.var.chrome} />, 404);

/** The portal's importing thread, or the work in place (an in-memory database, the tests). */
const importer = (c: AppContext) => c.var.deps.importer ?? importerOn(c.var.deps.db, c.var.deps.clock);

async function showPreview(c: AppContext, token: string, message?: string, status: 200 | 409 | 422 = 200) {
  const found = await importer(c).get(c.var.scope, token);
  if (!found) return notFound(c);
  return page(c, <ImportPreviewPage {...found} message={message} chrome={c.var.chrome} />, status);
}

export const importRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .get('/import', (c) => page(c, <ImportPage chrome={c.var.chrome} />))
  .post('/import', async (c) => {
    const body = await c.req.parseBody({ all: true });
    // One file (the JSON extract, a FHIR Bundle) or several (Bulk Data NDJSON files).
    const files = [body.file].flat().filter((f): f is File => f instanceof File && f.size > 0);
    if (files.length === 0) {
      return page(c, <ImportPage problems={[{ path: 'file', message: 'choose the file (or files) to upload' }]} chrome={c.var.chrome} />, 422);
    }
    const fileName = files.map((f) => f.name).join(', ').slice(0, 200);
    if (files.reduce((size, f) => size + f.size, 0) > IMPORT_MAX_BYTES) {
      return page(c, <ImportPage fileName={fileName} problems={[{ path: 'file', message: `larger than the ${IMPORT_MAX_BYTES / 1024 / 1024} MB limit` }]} chrome={c.var.chrome} />, 413);
    }
    const uploaded = await Promise.all(files.map(async (f) => ({ name: f.name.slice(0, 200), text: await f.text() })));
    const started = await importer(c).start(c.var.scope, uploaded);
    if (!started.ok) return page(c, <ImportPage fileName={fileName} problems={started.problems} chrome={c.var.chrome} />, 422);
    return c.redirect(importPreviewUrl(started.token), 303);
  })
  .get(`/import/:token${TOKEN}`, (c) => showPreview(c, c.req.param('token')))
  .post(`/import/:token${TOKEN}/apply`, async (c) => {
    const token = c.req.param('token');
    const result = await importer(c).apply(c.var.scope, token, { route: `${c.req.method} ${c.req.path}`, requestId: c.var.requestId });
    if (!result.ok && result.reason === 'not_found') return notFound(c);
    if (!result.ok && result.reason === 'done') return showPreview(c, token, 'This import was already applied or cancelled: nothing was done again.', 409);
    if (!result.ok) return showPreview(c, token, 'The data changed since the preview and the file is now refused: nothing was imported.', 422);
    return c.redirect(importPreviewUrl(token), 303);
  })
  .post(`/import/:token${TOKEN}/cancel`, async (c) => {
    const { db, clock } = c.var.deps;
    const token = c.req.param('token');
    if (!(await cancelImport(db, clock, c.var.scope, token))) return showPreview(c, token, 'This import was already applied or cancelled.', 409);
    return c.redirect(importUrl, 303);
  });
