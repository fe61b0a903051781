import { Hono } from 'hono';
import { getPanelOverview } from '../domain/submissions/submission-history.ts';
import { isFeedbackAction, recordFeedbackAction, registryFeedback } from '../domain/registry/registry-feedback.ts';
import { parseConfirmationDate } from '../domain/panels/panel-members.ts';
import { edmontonDate } from '../domain/time/edmonton.ts';
import { RegistryFeedbackPage, registryFeedbackUrl } from '../views/registry-feedback-page.tsx';
import { ErrorPage } from '../views/error-page.tsx';
import { page, type AppContext, type AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';
import { audit } from './audit.ts';

const ACTION_DONE = {
  contacted: 'Recorded: the patient was contacted.',
  confirmed: 'Recorded: the patient confirmed with us; their confirmation date on this panel is updated.',
  corrected: 'Recorded: the demographics were corrected in the clinical record. The next submission sends them.',
  removed: 'Recorded: the patient was removed from this panel.',
} as const;

function idOf(c: AppContext, name: string): number | null {
  const value = Number(c.req.param(name));
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

const notFound = (c: AppContext, what: string) =>
  page(c, <ErrorPage status={404} message={`There is no ${what} with that number.`} chrome={c.var.chrome} />, 404);

/** The page as it stands, its patients audited as seen. */
async function show(c: AppContext, panelId: number, extra: { notice?: string; error?: string }, status: 200 | 409 | 422 = 200) {
  const { db, clock } = c.var.deps;
  const panel = await getPanelOverview(db, panelId);
  if (!panel) return notFound(c, 'panel');
  const feedback = await registryFeedback(db, panelId);
  const patientIds = feedback ? [...feedback.mismatches, ...feedback.conflicts].flatMap((i) => (i.patient ? [i.patient.id] : [])) : [];
  await audit(c, { action: 'view', objectType: 'registry_feedback', objectId: panelId, patientIds });
  return page(c, <RegistryFeedbackPage panel={panel} feedback={feedback} now={clock.now()} {...extra} chrome={c.var.chrome} />, status);
}

export const registryFeedbackRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .get('/panels/:panelId{[0-9]+}/registry', async (c) => {
    const panelId = idOf(c, 'panelId');
    if (panelId === null) return notFound(c, 'panel');
    const recorded = c.req.query('recorded');
    return show(c, panelId, { notice: isFeedbackAction(recorded) ? ACTION_DONE[recorded] : undefined });
  })
  .post('/panels/:panelId{[0-9]+}/registry/:itemId{[0-9]+}', async (c) => {
    const { db, clock } = c.var.deps;
    const panelId = idOf(c, 'panelId');
    const itemId = idOf(c, 'itemId');
    if (panelId === null || itemId === null) return notFound(c, 'item');
    const body = await c.req.parseBody();
    const action = body.action;
    if (!isFeedbackAction(action)) return show(c, panelId, { error: 'Choose what the clinic did.' }, 422);
    let confirmedOn: string | null = null;
    if (action === 'confirmed') {
      const parsed = parseConfirmationDate(typeof body.confirmedOn === 'string' ? body.confirmedOn : undefined, edmontonDate(clock.now()));
      if (!parsed.ok) return show(c, panelId, { error: parsed.message }, 422);
      confirmedOn = parsed.date;
    }
    const result = await recordFeedbackAction(db, clock, c.var.scope, panelId, itemId, action, confirmedOn,
      { route: `${c.req.method} ${c.req.path}`, requestId: c.var.requestId });
    if (!result.ok && result.reason === 'not_found') return notFound(c, 'item');
    if (!result.ok && result.reason === 'not_open') {
      return show(c, panelId, { error: 'That item is no longer open: a later submission answered it. Nothing was recorded.' }, 409);
    }
    if (!result.ok) return show(c, panelId, { error: result.reason === 'invalid' ? result.message : 'Nothing was recorded.' }, 422);
    return c.redirect(`${registryFeedbackUrl(panelId)}?recorded=${action}#item-${itemId}`, 303);
  });
