import { Hono } from 'hono';
import {
  EMPTY_PANEL, createPanel, deactivatePanel, deletePanel, getPanelForEdit, listActivePanels, listInactivePanels,
  listPanelChoices, reactivatePanel, updatePanel, type PanelErrors, type PanelInput, type RemovalResult,
} from '../domain/panels/panels.ts';
import { readinessOfCparPanels } from '../domain/panels/readiness.ts';
import { PanelList, PanelsPage, type ListMessage } from '../views/panels-page.tsx';
import { NameLengthWarning, PanelForm, PanelFormPage, RecipientNote } from '../views/panel-form.tsx';
import { panelsUrl } from '../views/panel-row.tsx';
import { ErrorPage } from '../views/error-page.tsx';
import { page, wantsFragment, type AppEnv, type AppContext } from './env.ts';
import { requirePermission } from './guard.tsx';
import { audit } from './audit.ts';
import { recordId } from './query.ts';

const NOT_FOUND = 'There is no active panel with that number.';
const HAS_SUBMISSIONS = (name: string) =>
  `“${name}” has submissions, so it cannot be deleted: deactivate it instead. Its submission history is kept.`;

// An id too long for a number (Infinity) would reach SQL and throw: 0 is no panel, so a 404.
const idOf = (c: AppContext) => { const id = Number(c.req.param('panelId')); return Number.isSafeInteger(id) ? id : 0; };

function notFound(c: AppContext) {
  return page(c, <ErrorPage status={404} message={NOT_FOUND} chrome={c.var.chrome} />, 404);
}

/** The form as posted. Unparseable ids become NaN, which checkPanelInput names. */
async function readForm(c: AppContext): Promise<PanelInput> {
  const body = await c.req.parseBody({ all: true });
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  const list = ([] as unknown[]).concat(body.practitionerIds ?? []);
  const recipient = text('failureRecipientId');
  return {
    name: text('name'),
    practitionerIds: list.map((v) => (typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : NaN)),
    panelNumber: text('panelNumber'),
    cparEnabled: text('cparEnabled') === 'on',
    failureRecipientId: recipient === '' ? null : /^[0-9]+$/.test(recipient) ? Number(recipient) : NaN,
  };
}

/** The form again with what was typed and what is wrong: in place for htmx, a whole page otherwise. */
async function formView(c: AppContext, panelId: number | null, values: PanelInput, errors: PanelErrors, status: 200 | 422) {
  const current = panelId === null ? null : (await getPanelForEdit(c.var.deps.db, panelId))?.values.failureRecipientId ?? null;
  const choices = await listPanelChoices(c.var.deps.db, current);
  const props = { panelId, values, errors, choices };
  if (wantsFragment(c) && status === 422) return c.html(<PanelForm {...props} />, 422);
  return page(c, <PanelFormPage {...props} chrome={c.var.chrome} />, status);
}

async function listProps(c: AppContext, message?: ListMessage) {
  const { db, clock } = c.var.deps;
  const [active, inactive, readiness] = await Promise.all([
    listActivePanels(db), listInactivePanels(db), readinessOfCparPanels(db, clock.now()),
  ]);
  return { active, inactive, readiness, message };
}

/** Saved: back to the list, by a full navigation for htmx (the form is replaced by a page). */
function saved(c: AppContext, panelId: number) {
  const location = `${panelsUrl}#panel-${panelId}`;
  if (!wantsFragment(c)) return c.redirect(location, 303);
  c.header('HX-Redirect', location);
  return c.body(null, 204);
}

/** Deactivate, Reactivate and Delete all answer with the list (htmx) or a 303 back to it. */
async function afterListAction(c: AppContext, result: RemovalResult, done: (name: string) => string) {
  if (!result.ok && result.reason === 'not_found') return notFound(c);
  const message: ListMessage = result.ok ? { kind: 'notice', text: done(result.name) } : { kind: 'error', text: HAS_SUBMISSIONS(result.name) };
  const status = result.ok ? 200 : 409;
  if (wantsFragment(c)) return c.html(<PanelList {...await listProps(c, message)} />, status);
  if (result.ok) return c.redirect(panelsUrl, 303);
  return page(c, <PanelsPage {...await listProps(c, message)} chrome={c.var.chrome} />, status);
}

export const panelsRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .get('/panels', async (c) => page(c, <PanelsPage {...await listProps(c)} chrome={c.var.chrome} />))
  .get('/panels/new', (c) => formView(c, null, EMPTY_PANEL, {}, 200))
  // The live 255-character warning while a name is typed (hx-get from the name field).
  .get('/panels/name-length', (c) => c.html(<NameLengthWarning name={c.req.query('name') ?? ''} />))
  // The warning under the recipient when the one chosen cannot fix a panel (hx-get on change).
  .get('/panels/recipient-note', async (c) => {
    const id = recordId(c.req.query('failureRecipientId'));
    const recipients = id ? (await listPanelChoices(c.var.deps.db, id)).recipients : [];
    return c.html(<RecipientNote recipient={recipients.find((u) => u.id === id)} />);
  })
  .post('/panels', async (c) => {
    const { db, clock } = c.var.deps;
    const input = await readForm(c);
    const result = await createPanel(db, clock, c.var.scope, input);
    if (!result.ok) return formView(c, null, input, result.reason === 'invalid' ? result.errors : {}, 422);
    await audit(c, { action: 'create', objectType: 'panel', objectId: result.id });
    return saved(c, result.id);
  })
  .get('/panels/:panelId{[0-9]+}/edit', async (c) => {
    const panel = await getPanelForEdit(c.var.deps.db, idOf(c));
    if (!panel) return notFound(c);
    return formView(c, panel.id, panel.values, {}, 200);
  })
  .post('/panels/:panelId{[0-9]+}', async (c) => {
    const id = idOf(c);
    if (!(await getPanelForEdit(c.var.deps.db, id))) return notFound(c);
    const input = await readForm(c);
    const result = await updatePanel(c.var.deps.db, c.var.scope, id, input);
    if (!result.ok && result.reason === 'not_found') return notFound(c);
    if (!result.ok) return formView(c, id, input, result.errors, 422);
    await audit(c, { action: 'edit', objectType: 'panel', objectId: id });
    return saved(c, id);
  })
  .post('/panels/:panelId{[0-9]+}/deactivation', async (c) => {
    const result = await deactivatePanel(c.var.deps.db, c.var.scope, idOf(c));
    if (result.ok) await audit(c, { action: 'edit', objectType: 'panel', objectId: idOf(c) });
    return afterListAction(c, result, (name) => `“${name}” was deactivated. It is no longer sent to CPAR.`);
  })
  .post('/panels/:panelId{[0-9]+}/activation', async (c) => {
    const result = await reactivatePanel(c.var.deps.db, c.var.scope, idOf(c));
    if (result.ok) await audit(c, { action: 'edit', objectType: 'panel', objectId: idOf(c) });
    return afterListAction(c, result, (name) => `“${name}” is active again.`);
  })
  .post('/panels/:panelId{[0-9]+}/deletion', async (c) => {
    const result = await deletePanel(c.var.deps.db, c.var.scope, idOf(c));
    if (result.ok) await audit(c, { action: 'delete', objectType: 'panel', objectId: idOf(c) });
    return afterListAction(c, result, (name) => `“${name}” was deleted.`);
  });
