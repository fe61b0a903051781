import { Hono } from 'hono';
import {
  getPanelOverview, getSubmission, listPanelSubmissions, listSubmissionProblems, monthlyPatientCounts, offersSubmit,
} from '../domain/submissions/submission-history.ts';
import { panelReadiness, readinessOfCparPanels } from '../domain/panels/readiness.ts';
import { PanelPage, type PractitionerFixers } from '../views/panel-page.tsx';
import { can } from '../domain/people/permissions.ts';
import { enabledUsersWith } from '../domain/people/users.ts';
import { HistoryPage } from '../views/history-page.tsx';
import { SubmissionPage } from '../views/submission-page.tsx';
import { ErrorPage } from '../views/error-page.tsx';
import { page, type AppContext, type AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';
import { audit } from './audit.ts';
import { pageNumber } from './query.ts';

/** A path id, or null when it is too big to be one (the pattern already allows digits only). */
function id(c: AppContext, name: string): number | null {
  const value = Number(c.req.param(name));
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** `?page=N`; anything else is the first page (the domain clamps a page past the end). */
const pageParam = (c: AppContext) => pageNumber(c.req.query('page'));

function notFound(c: AppContext, what: 'panel' | 'submission') {
  return page(c, <ErrorPage status={404} message={`There is no ${what} with that number.`} chrome={c.var.chrome} />, 404);
}

export const submissionHistoryRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .get('/panels/:panelId{[0-9]+}', async (c) => {
    const { db, clock } = c.var.deps;
    const panelId = id(c, 'panelId');
    const panel = panelId === null ? null : await getPanelOverview(db, panelId);
    if (!panel) return notFound(c, 'panel');
    const now = clock.now();
    // An active CPAR panel's judgement is kept for the day; others are judged here and now.
    const readiness = panel.cparEnabled && panel.active
      ? (await readinessOfCparPanels(db, now, [panel.id])).get(panel.id) ?? null
      : await panelReadiness(db, panel.id, now);
    const months = await monthlyPatientCounts(db, panel.id, now);
    if (!readiness) return notFound(c, 'panel');
    const missingId = panel.practitioners.some((p) => p.practitionerId === null);
    const fixers: PractitionerFixers = can(c.var.scope, 'manage_users') || !missingId
      ? { canEdit: true } : { canEdit: false, names: await enabledUsersWith(db, 'manage_users') };
    return page(c, <PanelPage panel={panel} readiness={readiness} months={months} fixers={fixers} chrome={c.var.chrome} />);
  })
  .get('/panels/:panelId{[0-9]+}/submissions', async (c) => {
    const { db } = c.var.deps;
    const panelId = id(c, 'panelId');
    const panel = panelId === null ? null : await getPanelOverview(db, panelId);
    if (!panel) return notFound(c, 'panel');
    const submissions = await listPanelSubmissions(db, panel.id, { page: pageParam(c) });
    // The first page holds the latest submission; on later pages it has to be looked up.
    const latest = submissions.page === 1 ? submissions.items[0] : (await listPanelSubmissions(db, panel.id)).items[0];
    return page(c, <HistoryPage panel={panel} submissions={submissions} offerSubmit={offersSubmit(panel, latest)} chrome={c.var.chrome} />);
  })
  .get('/submissions/:submissionId{[0-9]+}', async (c) => {
    const { db } = c.var.deps;
    const submissionId = id(c, 'submissionId');
    const submission = submissionId === null ? null : await getSubmission(db, submissionId);
    if (!submission) return notFound(c, 'submission');
    const problems = await listSubmissionProblems(db, submission.id, { page: pageParam(c) });
    // Names and ULIs are health information: every page of them shown is in the trail.
    if (problems.patients.items.length > 0) {
      await audit(c, { action: 'view', objectType: 'submission_problems', objectId: submission.id, 
        patientIds: problems.patients.items.map((p) => p.patientId) });
    }
    return page(c, <SubmissionPage submission={submission} problems={problems} chrome={c.var.chrome} />);
  });
