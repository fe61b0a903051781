import { Hono } from 'hono';
import { listSubmissionRows, getSubmissionRow, queueSubmission } from '../domain/submissions.ts';
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

function notFound(c: AppContext) {
  return page(c, <ErrorPage status={404} message={NOT_FOUND} chrome={c.var.chrome} />, 404);
}

export const submissionRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .get('/submissions', async (c) => {
    const { db, clock } = c.var.deps;
    return page(c, <SubmissionsPage rows={await listSubmissionRows(db)} now={clock.now()} chrome={c.var.chrome} />);
  })
  // The row of one panel: what a Queued or Pending row polls.
  .get('/panels/:panelId/submission', async (c) => {
    const { db, clock } = c.var.deps;
    const id = panelId(c);
    const row = id === null ? null : await getSubmissionRow(db, id);
    if (!row) return notFound(c);
    if (!wantsFragment(c)) return c.redirect('/settings/cii-cpar/submissions', 303);
    return c.html(<SubmissionRowView row={row} now={clock.now()} />);
  })
  .post('/panels/:panelId/submissions', async (c) => {
    const { db, clock } = c.var.deps;
    const id = panelId(c);
    if (id === null) return notFound(c);
    const result = await queueSubmission(db, clock, c.var.scope, id);
    if (!result.ok && result.reason === 'not_found') return notFound(c);
    const now = clock.now();
    if (!result.ok) {
      const message = ALREADY_OPEN(result.row.last?.status ?? 'queued');
      if (wantsFragment(c)) return c.html(<SubmissionRowView row={result.row} now={now} message={message} />, 409);
      const rows = await listSubmissionRows(db);
      return page(c, <SubmissionsPage rows={rows} now={now} chrome={c.var.chrome}
        message={{ panelId: id, text: message }} />, 409);
    }
    if (wantsFragment(c)) return c.html(<SubmissionRowView row={result.row} now={now} />);
    return c.redirect(`/settings/cii-cpar/submissions#panel-${id}`, 303);
  });
