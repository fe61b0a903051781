import { Hono } from 'hono';
import { jsx } from 'hono/jsx';
import { canSubmit, getSubmissionRow, queueSubmission, type SubmissionRow } from '../domain/submissions/submissions.ts';
import { nextSendTime } from '../domain/pipeline/send-time.ts';
import { isStanding, loadSubmissionsPage } from '../domain/submissions/submissions-page.ts';
import { readinessOfCparPanels } from '../domain/panels/readiness.ts';
import { SubmissionsPage, SubmitCheckPage } from '../views/submissions-page.tsx';
import { SubmissionRowView } from '../views/submission-row.tsx';
import { ErrorPage } from '../views/error-page.tsx';
import { page, wantsFragment, type AppEnv, type AppContext } from './env.ts';
import { pageNumber, recordId } from './query.ts';
import { audit } from './audit.ts';
import { requirePermission } from './guard.tsx';

const NOT_FOUND = 'There is no active CPAR panel with that number.';
const ALREADY_OPEN = (status: string) =>
  `This panel is already ${status}: it was not queued again. Wait for the result before resubmitting.`;

function panelId(c: AppContext): number | null {
  const id = Number(c.req.param('panelId'));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** One row with its readiness now: the swap target of Submit and of polling. */
async function rowView(c: AppContext, row: SubmissionRow, options: { message?: string; queued?: boolean } = {}) {
  const { db, clock } = c.var.deps;
  const now = clock.now();
  const readiness = (await readinessOfCparPanels(db, now, [row.panelId])).get(row.panelId)!;
  return <SubmissionRowView row={row} now={now} readiness={readiness} {...options} />;
}

const queuedText = (row: SubmissionRow, now: Date) => `“${row.panelName}” is queued: it will be sent ${nextSendTime(now).label}.`;

/** htmx 4's <hx-partial>: what Submit did, into the page's live region, for screen readers. */
function StatusPartial({ text }: { text: string }) {
  return jsx('hx-partial', { 'hx-target': '#submit-status', 'hx-swap': 'innerHTML' }, text);
}

async function fullPage(c: AppContext, message?: { panelId: number; text: string }) {
  const { db, clock } = c.var.deps;
  const now = clock.now();
  // After a Submit without JavaScript, the page says what happened (the row is Queued now).
  const queuedId = recordId(c.req.query('queued'));
  const queued = queuedId ? await getSubmissionRow(db, queuedId) : null;
  const notice = queued?.last?.status === 'Queued' ? queuedText(queued, now) : undefined;
  const sort = c.req.query('sort') === 'status' ? 'status' : 'name';
  // A status the page does not know is ignored: every panel is shown.
  const status = c.req.query('status');
  const { listing, readiness } = await loadSubmissionsPage(db, now, {
    page: pageNumber(c.req.query('page')), sort, standing: isStanding(status) ? status : null,
  });
  return <SubmissionsPage listing={listing} readiness={readiness} now={now} chrome={c.var.chrome} message={message} notice={notice} />;
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
    const now = clock.now();
    // A Not-ready panel would fail at the run: say why and ask, unless this is the answer.
    if ((await c.req.parseBody()).anyway !== 'yes') {
      const row = await getSubmissionRow(db, id);
      if (!row) return notFound(c);
      const readiness = (await readinessOfCparPanels(db, now, [id])).get(id)!;
      if (canSubmit(row) && !readiness.ok) {
        if (wantsFragment(c)) return c.html(<SubmissionRowView row={row} now={now} readiness={readiness} check />);
        return page(c, <SubmitCheckPage row={row} readiness={readiness} chrome={c.var.chrome} />);
      }
    }
    const result = await queueSubmission(db, clock, c.var.scope, id);
    if (!result.ok && result.reason === 'not_found') return notFound(c);
    if (!result.ok) {
      const message = ALREADY_OPEN(result.row.last?.status ?? 'queued');
      if (wantsFragment(c)) return c.html(await rowView(c, result.row, { message }), 409);
      return page(c, await fullPage(c, { panelId: id, text: message }), 409);
    }
    // Who asked for the send: the scheduler's entry for the send itself names no one.
    await audit(c, { action: 'submit', objectType: 'submission', objectId: result.row.last!.id });
    if (wantsFragment(c)) {
      return c.html(<>{await rowView(c, result.row, { queued: true })}<StatusPartial text={queuedText(result.row, now)} /></>);
    }
    return c.redirect(`/settings/cii-cpar/submissions?queued=${id}#panel-${id}`, 303);
  });
