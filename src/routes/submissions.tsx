import { Hono } from 'hono';
import { getSubmissionRow, queueSubmission, type SubmissionRow } from '../domain/submissions.ts';
import { isStanding, loadSubmissionsPage } from '../domain/submissions-page.ts';
import { readinessOfCparPanels } from '../domain/readiness.ts';
import { SubmissionsPage } from '../views/submissions-page.tsx';
import { SubmissionRowView } from '../views/submission-row.tsx';
import { ErrorPage } from '../views/error-page.tsx';
import { page, wantsFragment, type AppEnv, type AppContext } from './env.ts';
import { requirePermission } from './guard.tsx';

const NOT_FOUND = 'There is no active CPAR panel with that number.';
const ALREADY_OPEN = (status: string) =>
  `This panel is already ${status}: it was not queued again. Wait for the result before resubmitting.`;

function panelId(c: AppContext): number | null {
  const id = Number(c.req.param('panelId'));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** One row with its readiness now: the swap target of Submit and of polling. */
async function rowView(c: AppContext, row: SubmissionRow, message?: string) {
  const { db, clock } = c.var.deps;
  const now = clock.now();
  const readiness = (await readinessOfCparPanels(db, now, [row.panelId])).get(row.panelId)!;
  return <SubmissionRowView row={row} now={now} readiness={readiness} message={message} />;
}

async function fullPage(c: AppContext, message?: { panelId: number; text: string }) {
  const { db, clock } = c.var.deps;
  const now = clock.now();
  const sort = c.req.query('sort') === 'status' ? 'status' : 'name';
  // A status the page does not know is ignored: every panel is shown.
  const status = c.req.query('status');
  const { listing, readiness } = await loadSubmissionsPage(db, now, {
    page: Number(c.req.query('page')) || 1, sort, standing: isStanding(status) ? status : null,
  });
  return <SubmissionsPage listing={listing} readiness={readiness} now={now} chrome={c.var.chrome} message={message} />;
}

function notFound(c: AppContext) {
  return page(c, <ErrorPage status={404} message={NOT_FOUND} chrome={c.var.chrome} />, 404);
}

export const submissionRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .get('/submissions', async (c) => {
    return page(c, await fullPage(c));
  })
  // The row of one panel: what a Queued or Pending row polls.
  .get('/panels/:panelId{[0-9]+}/submission', async (c) => {
    const id = panelId(c);
    const row = id === null ? null : await getSubmissionRow(c.var.deps.db, id);
    if (!row) return notFound(c);
    if (!wantsFragment(c)) return c.redirect('/settings/cii-cpar/submissions', 303);
    return c.html(await rowView(c, row));
  })
  .post('/panels/:panelId{[0-9]+}/submissions', async (c) => {
    const { db, clock } = c.var.deps;
    const id = panelId(c);
    if (id === null) return notFound(c);
    const result = await queueSubmission(db, clock, c.var.scope, id);
    if (!result.ok && result.reason === 'not_found') return notFound(c);
    if (!result.ok) {
      const message = ALREADY_OPEN(result.row.last?.status ?? 'queued');
      if (wantsFragment(c)) return c.html(await rowView(c, result.row, message), 409);
      return page(c, await fullPage(c, { panelId: id, text: message }), 409);
    }
    if (wantsFragment(c)) return c.html(await rowView(c, result.row));
    return c.redirect(`/settings/cii-cpar/submissions#panel-${id}`, 303);
  });
