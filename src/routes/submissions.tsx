import { Hono } from 'hono';
import { jsx } from 'hono/jsx';
import { canSubmit, getSubmissionRow, queueSubmission, type SubmissionRow } from '../domain/submissions/submissions.ts';
import { nextSendTime } from '../domain/pipeline/send-time.ts';
import { isStanding, loadSubmissionsPage, type SubmissionSort } from '../domain/submissions/submissions-page.ts';
import { readinessOfCparPanels } from '../domain/panels/readiness.ts';
import { atDataVersion, dataVersion } from '../domain/database/data-version.ts';
import { SubmissionsPage, SubmissionsTable, SubmitCheckPage } from '../views/submissions-page.tsx';
import { SubmissionRowView } from '../views/submission-row.tsx';
import { rendered } from '../views/rendered.ts';
import { ErrorPage } from '../views/error-page.tsx';
import { keptPage, page, wantsFragment, type AppEnv, type AppContext } from './env.ts';
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

/**
 * What a row shows is decided by the data's version and by the clock to the minute (its
 * "will be sent …" text turns at 21:00 and at midnight): its ETag names both. The browser
 * keeps the fragment (it names no patient) and asks again every poll with If-None-Match.
 */
async function rowTag(c: AppContext, id: number): Promise<string> {
  const minute = Math.floor(c.var.deps.clock.now().getTime() / 60_000);
  return `"row-${id}-${c.var.dataVersion ?? await dataVersion(c.var.deps.db)}-${minute}"`;
}
const revalidate = (etag: string) => ({ ETag: etag, 'Cache-Control': 'private, no-cache' });

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
  const sort: SubmissionSort = c.req.query('sort') === 'status' ? 'status' : 'name';
  // A status the page does not know is ignored: every panel is shown.
  const status = c.req.query('status');
  const options = { page: pageNumber(c.req.query('page')), sort, standing: isStanding(status) ? status : null };
  const load = () => loadSubmissionsPage(db, now, options);
  if (message) return page(c, <SubmissionsPage table={<SubmissionsTable {...await load()} now={now} message={message} />} chrome={c.var.chrome} />, 409);
  // The table is rendered again only when the data changed, or the minute did (a Queued row's
  // "will be sent …" turns at 21:00; readiness is the day's): what stays is the HTML it rendered
  // to, escaped as it was rendered, which the page takes in as it is.
  const key = `submissions-table|${Math.floor(now.getTime() / 60_000)}|${options.sort}|${options.page}|${options.standing}`;
  const table = () => atDataVersion(db, key, c.var.dataVersion, async () => rendered(<SubmissionsTable {...await load()} now={now} />));
  // The page around the table is kept too, unless it reports a Submit (a notice of its own).
  if (notice === undefined) return keptPage(c, key, async () => <SubmissionsPage table={await table()} chrome={c.var.chrome} />);
  return page(c, <SubmissionsPage table={await table()} chrome={c.var.chrome} notice={notice} />);
}

function notFound(c: AppContext) {
  return page(c, <ErrorPage status={404} message={NOT_FOUND} chrome={c.var.chrome} />, 404);
}

export const submissionRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .get('/submissions', async (c) => {
    return fullPage(c);
  })
  // The row of one panel: what a Queued or Pending row polls.
  // It answers 304 while nothing it shows changed: the permission is checked above first.
  .get('/panels/:panelId{[0-9]+}/submission', async (c) => {
    const id = panelId(c);
    if (id !== null && wantsFragment(c)) {
      const etag = await rowTag(c, id);
      if (c.req.header('If-None-Match') === etag) return c.body(null, 304, revalidate(etag));
      const row = await getSubmissionRow(c.var.deps.db, id);
      if (!row) return notFound(c);
      return c.html(await rowView(c, row), 200, revalidate(etag));
    }
    const row = id === null ? null : await getSubmissionRow(c.var.deps.db, id);
    if (!row) return notFound(c);
    return c.redirect('/settings/cii-cpar/submissions', 303);
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
      return fullPage(c, { panelId: id, text: message });
    }
    // Who asked for the send: the scheduler's entry for the send itself names no one.
    await audit(c, { action: 'submit', objectType: 'submission', objectId: result.row.last!.id });
    if (wantsFragment(c)) {
      return c.html(<>{await rowView(c, result.row, { queued: true })}<StatusPartial text={queuedText(result.row, now)} /></>);
    }
    return c.redirect(`/settings/cii-cpar/submissions?queued=${id}#panel-${id}`, 303);
  });
