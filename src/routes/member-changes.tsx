// Bulk changes to a panel's members: fill missing confirmation dates, replace existing ones
// (after a check that shows which), remove members (after a check), and undo any of them.
import { Hono } from 'hono';
import { edmontonDate } from '../domain/time/edmonton.ts';
import { matchingMemberIds, parseConfirmationDate, type MemberQuery, type MembersPanel } from '../domain/panels/panel-members.ts';
import {
  bornAfter, confirmMissing, removeMembers, replaceConfirmations, selectedMembers, undoChange, type ChangeKind, type ChangeResult,
} from '../domain/panels/member-changes.ts';
import { ReviewPage, ReviewRegion, type Review } from '../views/member-review.tsx';
import { page, wantsFragment, type AppContext, type AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';
import { audit } from './audit.ts';
import { NO_PANEL, PANEL, backToList, first, loadPanel, notFound, patientIds, returnQuery, showMembers, type Body } from './members-common.tsx';

const NOT_UNDERSTOOD = 'The selection was not understood: tick the patients again.';
const bornAfterMessage = (date: string, n: number) =>
  `The confirmation date ${date} is before the birth date of ${n === 1 ? '1 selected patient' : `${n} selected patients`}: a patient cannot confirm before they were born. Nothing was changed.`;

/** `query`: the list the form came from (its `return_to`), search included. */
type Form = { body: Body; panel: MembersPanel; query: MemberQuery };

async function readForm(c: AppContext): Promise<Form | Response> {
  const panel = await loadPanel(c);
  if (!panel) return notFound(c, NO_PANEL);
  const body = await c.req.parseBody({ all: true });
  return { body, panel, query: returnQuery(panel.id, first(body, 'return_to')) };
}

/** Bad input changes nothing: the list comes back with the message and every value as sent. */
function refuse(c: AppContext, { body, panel, query }: Form, error: string) {
  return showMembers(c, panel, query,
    { status: 422, bulk: { error, confirmedOn: first(body, 'confirmed_on'), selected: new Set(patientIds(body) ?? []) } });
}

/** After a change: its report (with Undo) in place for htmx, or a redirect to the list that shows it. */
async function changed(c: AppContext, { panel, query }: Form, action: ChangeKind, selected: number, result: ChangeResult) {
  if (!wantsFragment(c)) {
    return backToList(c, panel, query, result.change ? { change: result.change.id } : { unchanged: action, selected });
  }
  const notice = result.change
    ? { kind: 'change' as const, change: result.change, undoable: true }
    : { kind: 'unchanged' as const, action, selected };
  return showMembers(c, panel, query, { notice, withSummary: true });
}

function showReview(c: AppContext, form: Form, review: Review) {
  if (wantsFragment(c)) return c.html(<ReviewRegion panel={form.panel} review={review} query={form.query} />);
  return page(c, <ReviewPage panel={form.panel} review={review} query={form.query} chrome={c.var.chrome} />);
}

export const memberChangeRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  // Fills missing confirmation dates of the ticked members, or of every member the filter shows.
  .post(`${PANEL}/confirmations`, async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const { db, clock } = c.var.deps;
    const now = clock.now();
    const date = parseConfirmationDate(first(form.body, 'confirmed_on'), edmontonDate(now));
    const ids = patientIds(form.body);
    const { query } = form;
    const byFilter = first(form.body, 'scope') === 'filter';
    if (!date.ok) return refuse(c, form, date.message);
    if (ids === null) return refuse(c, form, NOT_UNDERSTOOD);
    if (byFilter && !query.q && !query.problem) return refuse(c, form, 'Search or choose a filter before confirming everyone it shows.');
    if (!byFilter && ids.length === 0) return refuse(c, form, 'Select at least one patient to confirm.');
    const targets = byFilter ? await matchingMemberIds(db, form.panel.id, query, now) : ids;
    const selected = await selectedMembers(db, form.panel.id, targets);
    const tooEarly = bornAfter(selected.filter((s) => s.confirmedOn === null), date.date);
    if (tooEarly) return refuse(c, form, bornAfterMessage(date.date, tooEarly));
    const result = await confirmMissing(db, clock, c.var.scope, form.panel.id, targets, date.date);
    if (result.changed) await audit(c, { action: 'edit', objectType: 'panel_member', objectId: form.panel.id, patientIds: result.patientIds });
    return changed(c, form, 'confirm', selected.length, result);
  })
  // Replaces the confirmation dates of the ticked members: first a check listing from what to what.
  .post(`${PANEL}/reconfirmations`, async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const { db, clock } = c.var.deps;
    const date = parseConfirmationDate(first(form.body, 'confirmed_on'), edmontonDate(clock.now()));
    const ids = patientIds(form.body);
    if (!date.ok) return refuse(c, form, date.message);
    if (ids === null) return refuse(c, form, NOT_UNDERSTOOD);
    const selected = await selectedMembers(db, form.panel.id, ids);
    if (selected.length === 0) return refuse(c, form, 'Select at least one patient whose date to change.');
    const tooEarly = bornAfter(selected, date.date);
    if (tooEarly) return refuse(c, form, bornAfterMessage(date.date, tooEarly));
    if (first(form.body, 'confirm') !== 'yes') return showReview(c, form, { kind: 'reconfirm', date: date.date, selected });
    const result = await replaceConfirmations(db, clock, c.var.scope, form.panel.id, ids, date.date);
    if (result.changed) await audit(c, { action: 'edit', objectType: 'panel_member', objectId: form.panel.id, patientIds: result.patientIds });
    return changed(c, form, 'reconfirm', selected.length, result);
  })
  // Takes the ticked members off the panel: first a check naming them.
  .post(`${PANEL}/removals`, async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const { db, clock } = c.var.deps;
    const ids = patientIds(form.body);
    if (ids === null) return refuse(c, form, NOT_UNDERSTOOD);
    const selected = await selectedMembers(db, form.panel.id, ids);
    if (selected.length === 0) return refuse(c, form, 'Select at least one patient to remove.');
    if (first(form.body, 'confirm') !== 'yes') return showReview(c, form, { kind: 'remove', selected });
    const result = await removeMembers(db, clock, c.var.scope, form.panel.id, ids);
    if (result.changed) {
      await audit(c, { action: 'delete', objectType: 'panel_member', objectId: form.panel.id, patientIds: result.patientIds });
    }
    return changed(c, form, 'remove', selected.length, result);
  })
  .post(`${PANEL}/member-changes/:changeId{[0-9]{1,15}}/undo`, async (c) => {
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const { db, clock } = c.var.deps;
    const undone = await undoChange(db, clock, form.panel.id, Number(c.req.param('changeId')));
    if (!undone.ok && undone.reason === 'not_found') return notFound(c, 'There is no such change of this panel to undo.');
    const refused = undone.ok ? null : undone.reason === 'expired' ? 'expired' as const : 'already_undone' as const;
    const { query } = form;
    if (undone.ok) {
      await audit(c, { action: 'edit', objectType: 'panel_member', objectId: form.panel.id, patientIds: undone.restoredIds });
    }
    if (!wantsFragment(c)) {
      return backToList(c, form.panel, query, undone.ok
        ? { undone: undone.change.id, restored: undone.restored, changed_since: undone.changedSince }
        : { undo_refused: refused! });
    }
    return showMembers(c, form.panel, query, {
      withSummary: true, status: undone.ok ? 200 : 409,
      notice: undone.ok ? { kind: 'undone', ...undone } : { kind: 'undo-refused', reason: refused! },
    });
  });
