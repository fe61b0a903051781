import { Hono } from 'hono';
import { edmontonDate } from '../domain/time/edmonton.ts';
import {
  addMembers, confirmMember, getMember, panelSummary, removeMember, searchCandidates, type Addition, type MembersPanel,
} from '../domain/panels/panel-members.ts';
import { exportedPatientIds, membersCsv, membersCsvFileName } from '../domain/panels/members-csv.ts';
import { MemberRowView, candidatesUrl, returnToValue } from '../views/member-row.tsx';
import { CandidatesPage, CandidatesRegion, type AddForm } from '../views/member-candidates.tsx';
import { page, wantsFragment, type AppContext, type AppEnv } from './env.ts';
import {
  MEMBER, NO_MEMBER, NO_PANEL, PANEL, SummaryPartial, backToList, count, first, loadPanel, memberQuery, noticeFrom, notFound, patientIds,
  returnQuery, showMembers,
} from './members-common.tsx';
import { requirePermission } from './guard.tsx';
import { audit } from './audit.ts';
import { refuseCrossSite } from './cross-site.tsx';

async function showCandidates(c: AppContext, panel: MembersPanel, q: string,
  { notice, form, status = 200 }: { notice?: Addition; form?: AddForm; status?: 200 | 422 } = {}) {
  const found = await searchCandidates(c.var.deps.db, panel.id, q);
  if (q) await audit(c, { action: 'view', objectType: 'patient_search', objectId: panel.id, 
    patientIds: found.candidates.map((p) => p.patientId) });
  const search = { q, ...found };
  if (wantsFragment(c)) return c.html(<CandidatesRegion panelId={panel.id} search={search} notice={notice} form={form} />, status);
  return page(c, <CandidatesPage panel={panel} chrome={c.var.chrome} search={search} notice={notice} form={form} />, status);
}

export const panelMembersRoutes = new Hono<AppEnv>()
  .use(requirePermission('cii_cpar_settings'))
  .get(`${PANEL}/members`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const params = new URL(c.req.url).searchParams;
    // A search comes by POST only (below): a `q` in the address is not read.
    return showMembers(c, panel, { ...memberQuery(params), q: '' }, { notice: await noticeFrom(c, panel, params) });
  })
  // Searching is a POST so that a patient's ULI or name never travels in a URL.
  .post(`${PANEL}/members/search`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const body = await c.req.parseBody({ all: true });
    const fields = new URLSearchParams(['q', 'page', 'problem'].map((name) => [name, first(body, name)]));
    return showMembers(c, panel, memberQuery(fields));
  })
  // Every member, streamed in chunks: a 5,000-patient panel never sits in memory as one string.
  // A POST from the panel's pages (CSRF-checked), refused when another site started it.
  .post(`${PANEL}/members.csv`, refuseCrossSite, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const { db, clock } = c.var.deps;
    const now = clock.now();
    await audit(c, { action: 'export', objectType: 'panel_members', objectId: panel.id, patientIds: await exportedPatientIds(db, panel.id) });
    const pieces = membersCsv(db, panel.id, now);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await pieces.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (error) {
          // Break the download rather than end it early: a cut file must not look complete.
          console.error(JSON.stringify({ level: 'error', path: c.req.path, error: String(error) }));
          controller.error(error);
        }
      },
      async cancel() {
        await pieces.return(undefined);
      },
    });
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${membersCsvFileName(panel, now)}"`,
    });
  })
  .post(`${MEMBER}/confirmation`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const { db, clock } = c.var.deps;
    const patientId = Number(c.req.param('patientId'));
    const query = returnQuery(panel.id, first(await c.req.parseBody(), 'return_to'));
    const now = clock.now();
    const today = edmontonDate(now);
    const confirmed = await confirmMember(db, panel.id, patientId, today, { by: c.var.scope.fullName, at: now });
    if (confirmed === 'not_on_panel') return notFound(c, NO_MEMBER);
    const summary = await panelSummary(db, panel.id, now);
    const member = await getMember(db, panel.id, patientId, now, summary);
    if (!member) return notFound(c, NO_MEMBER);
    const message = confirmed === 'already_confirmed'
      ? 'This patient already has a confirmation date; it was kept. To change it, select the patient and choose “Change the date of selected”.'
      : undefined;
    if (confirmed === 'confirmed') {
      await audit(c, { action: 'edit', objectType: 'panel_member', objectId: panel.id, patientIds: [patientId] });
    }
    if (!wantsFragment(c)) {
      if (message) return showMembers(c, panel, query, { status: 409, bulk: { error: message } });
      return backToList(c, panel, query, {}, `#member-${patientId}`);
    }
    return c.html(
      <>
        <MemberRowView panelId={panel.id} member={member} returnTo={returnToValue(panel.id, query)} message={message} />
        <SummaryPartial panel={panel} summary={summary} query={query} />
      </>,
      message ? 409 : 200,
    );
  })
  .post(`${MEMBER}/removal`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const { db, clock } = c.var.deps;
    const query = returnQuery(panel.id, first(await c.req.parseBody(), 'return_to'));
    const patientId = Number(c.req.param('patientId'));
    if (!(await removeMember(db, panel.id, patientId))) return notFound(c, NO_MEMBER);
    await audit(c, { action: 'delete', objectType: 'panel_member', objectId: panel.id, patientIds: [patientId] });
    if (!wantsFragment(c)) return backToList(c, panel, query, { removed: 1 });
    // No main content: the row's `outerHTML swapEmpty:true` replaces it with nothing.
    return c.html(<SummaryPartial panel={panel} summary={await panelSummary(db, panel.id, clock.now())} query={query} />);
  })
  .get(`${PANEL}/candidates`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const params = new URL(c.req.url).searchParams;
    const notice = params.has('added')
      ? { added: count(params.get('added')), alreadyMembers: count(params.get('already_members')), unknown: count(params.get('unknown')) }
      : undefined;
    // A search comes by POST only (below): a `q` in the address is not read.
    return showCandidates(c, panel, '', { notice });
  })
  .post(`${PANEL}/candidates/search`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    return showCandidates(c, panel, first(await c.req.parseBody({ all: true }), 'q').trim().slice(0, 100));
  })
  .post(`${PANEL}/members`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const body = await c.req.parseBody({ all: true });
    const q = first(body, 'q').trim().slice(0, 100);
    const ids = patientIds(body);
    if (ids === null || ids.length === 0) {
      const error = ids === null ? 'The selection was not understood: tick the patients again.' : 'Select at least one patient to add.';
      return showCandidates(c, panel, q, { status: 422, form: { error, selected: new Set(ids ?? []) } });
    }
    const result = await addMembers(c.var.deps.db, panel.id, ids);
    await audit(c, { action: 'create', objectType: 'panel_member', objectId: panel.id, patientIds: result.addedIds });
    if (!wantsFragment(c)) {
      // The search is left behind: the report needs no ULI or name in the Location.
      const params = new URLSearchParams({ added: String(result.added), already_members: String(result.alreadyMembers), unknown: String(result.unknown) });
      return c.redirect(`${candidatesUrl(panel.id)}?${params}`, 303);
    }
    return showCandidates(c, panel, q, { notice: result });
  });
