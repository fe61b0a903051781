import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { IMPORT_MAX_BYTES } from './domain/import/import-previews.ts';
import { importUrl } from './views/import-page.tsx';
import { csrf } from 'hono/csrf';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { HTTPException } from 'hono/http-exception';
import { can } from './domain/people/permissions.ts';
import { ErrorPage } from './views/error-page.tsx';
import { errorAnswer } from './routes/error-answer.tsx';
import { databaseTrouble } from './domain/database/trouble.ts';
import { page, type AppEnv, type Deps } from './routes/env.ts';
import { authRoutes } from './routes/auth.tsx';
import { requireSession } from './routes/session.ts';
import { plainHtml } from './routes/plain-html.ts';
import { requirePermission } from './routes/guard.tsx';
import { ROUTE_ACCESS } from './routes/manifest.ts';
import { submissionRoutes } from './routes/submissions.tsx';
import { inboxRoutes } from './routes/inbox.tsx';
import { staticRoutes } from './routes/static.ts';
import { panelsRoutes } from './routes/panels.tsx';
import { panelMembersRoutes } from './routes/panel-members.tsx';
import { memberChangeRoutes } from './routes/member-changes.tsx';
import { registryFeedbackRoutes } from './routes/registry-feedback.tsx';
import { importRoutes } from './routes/import.tsx';
import { csvImportRoutes } from './routes/import-csv.tsx';
import { clinicSettingsRoutes } from './routes/clinic-settings.tsx';
import { submissionHistoryRoutes } from './routes/submission-history.tsx';
import { practitionersRoutes } from './routes/practitioners.tsx';
import { usersRoutes } from './routes/users.tsx';
import { auditLogRoutes } from './routes/audit-log.tsx';
import { routeLabel, serviceRoutes } from './routes/service.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
/** a multipart upload's boundaries and headers around the file */
const UPLOAD_FORM_OVERHEAD = 64 * 1024;

export function createApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(plainHtml);
  app.use(async (c, next) => {
    c.set('deps', deps);
    c.set('requestId', crypto.randomUUID());
    const started = performance.now();
    await next();
    deps.service?.metrics.request(routeLabel(c), c.req.method, c.res.status, (performance.now() - started) / 1000);
    // Pages and fragments may carry health information: never cached, and a URL that can
    // answer with either a page or a fragment says so to caches.
    // (A fragment that revalidates by its ETag, the Submissions row's poll, says so itself.)
    // Set on the response's own headers: c.header() on a finished response builds it again.
    if (!c.req.path.startsWith('/static/')) {
      const headers = c.res.headers;
      if (!headers.has('ETag')) headers.set('Cache-Control', 'no-store');
      headers.set('Vary', 'HX-Request, HX-Request-Type');
    }
  });
  // Nothing reads more than 1 MB of a request (no form of the portal comes near it) but the
  // Import page's upload, which has its own documented limit: a longer body is refused by its
  // Content-Length, or once the limit has streamed in.
  const forms = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => page(c, <ErrorPage status={413} message="The request was too large: nothing was read or changed." />, 413),
  });
  const upload = bodyLimit({
    maxSize: IMPORT_MAX_BYTES + UPLOAD_FORM_OVERHEAD,
    onError: (c) => page(c, <ErrorPage status={413} message={`The file is larger than the import's ${IMPORT_MAX_BYTES / 1024 / 1024} MB limit: nothing was read.`} />, 413),
  });
  // A GET or HEAD with neither header has no body (RFC 9112 §6.3); asking the request for its
  // body stream, as bodyLimit does first, would build a whole WHATWG Request on every page view.
  app.use((c, next) => {
    const bodiless = (c.req.method === 'GET' || c.req.method === 'HEAD')
      && c.req.header('Content-Length') === undefined && c.req.header('Transfer-Encoding') === undefined;
    if (bodiless) return next();
    return (c.req.method === 'POST' && c.req.path === importUrl ? upload : forms)(c, next);
  });
  // A per-request nonce, no inline script, no eval: htmx and public/app.js are loaded from /static; htmx's
  // eval-based features (hx-on, js: and trigger filters) are not used anywhere.
  app.use(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", NONCE],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  }));
  // State changes need a same-origin request (Origin / Sec-Fetch-Site), htmx's included.
  app.use(csrf());

  app.route('/static', staticRoutes());
  app.route('/', serviceRoutes);
  app.route('/', authRoutes);

  app.use(requireSession);
  // The permission of every gated area comes from the route manifest, so a route added under
  // it is guarded even before its own module says so.
  for (const { pattern, access } of ROUTE_ACCESS) {
    if (access !== 'public' && access !== 'signed-in') app.use(pattern, requirePermission(access));
  }
  app.get('/', (c) =>
    c.redirect(can(c.var.scope, 'cii_cpar_settings') ? '/settings/cii-cpar/submissions' : '/inbox', 302),
  );
  app.route('/settings/cii-cpar', submissionRoutes);
  app.route('/settings/cii-cpar', panelsRoutes);
  app.route('/settings/cii-cpar', panelMembersRoutes);
  app.route('/settings/cii-cpar', memberChangeRoutes);
  app.route('/settings/cii-cpar', submissionHistoryRoutes);
  app.route('/settings/cii-cpar', clinicSettingsRoutes);
  app.route('/settings/cii-cpar', registryFeedbackRoutes);
  // Before importRoutes: it takes a CSV upload and passes every other file on.
  app.route('/settings/cii-cpar', csvImportRoutes);
  app.route('/settings/cii-cpar', importRoutes);
  app.route('/settings/practitioners', practitionersRoutes);
  app.route('/settings/users', usersRoutes);
  app.route('/settings/audit-log', auditLogRoutes);
  app.route('/inbox', inboxRoutes);

  app.notFound((c) =>
    page(c, <ErrorPage status={404} message="There is nothing at this address." chrome={c.get('chrome')} />, 404),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403) {
      // Hono's csrf(): an unsafe request whose Origin / Sec-Fetch-Site is not this site.
      return errorAnswer(c, 403, "The request did not come from this portal's own pages, so nothing was changed.");
    }
    if (error instanceof HTTPException) return error.getResponse();
    // The browser gets a reference only; the log gets the error under the same reference.
    const reference = (c.get('requestId') ?? crypto.randomUUID()).slice(0, 8);
    console.error(JSON.stringify({ level: 'error', reference, method: c.req.method, path: c.req.path, error: String(error.stack ?? error) }));
    // Trying again cannot help while the disk is full: say so, and who can fix it.
    if (databaseTrouble(error) === 'full') {
      // The pages' warning may have measured the disk up to a minute ago: say the same as this answer.
      const { disk } = c.var.deps;
      const chrome = c.get('chrome');
      if (disk && chrome) {
        disk.remeasure();
        const diskLow = disk.low();
        c.set('chrome', { ...chrome, diskLow: diskLow ?? undefined });
      }
      return errorAnswer(c, 503, `The server's disk is full, so the portal cannot save anything, and nothing was changed. `
        + `Tell whoever looks after the server; give them this reference: ${reference}.`);
    }
    return errorAnswer(c, 500, `Please try again. If it keeps happening, give this reference to support: ${reference}.`);
  });
  return app;
}
