import { Hono } from 'hono';
import { jsx } from 'hono/jsx';
import { edmontonDate } from '../domain/edmonton.ts';
import {
  addMembers, confirmMember, confirmMembers, countMembers, getActivePanel, getMember, isMemberProblem, listMembers,
  matchingMemberIds, panelSummary, parseConfirmationDate, removeMember, searchCandidates,
  type Addition, type MemberQuery, type MembersPanel, type PanelSummary,
} from '../domain/panel-members.ts';
import { membersCsv, membersCsvFileName } from '../domain/members-csv.ts';
import { MembersPage } from '../views/members-page.tsx';
import { MembersRegion, type BulkForm, type MembersNotice } from '../views/member-region.tsx';
import { MembersSummary } from '../views/member-summary.tsx';
import { MemberRowView, candidatesUrl, membersUrl } from '../views/member-row.tsx';
import { CandidatesPage, CandidatesRegion, type AddForm } from '../views/member-candidates.tsx';
import { ErrorFlash, ErrorPage } from '../views/error-page.tsx';
import { page, wantsFragment, type AppContext, type AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';
import { audit } from './audit.ts';

const PANEL = '/panels/:panelId{[0-9]+}';
// At most 15 digits, as for ticked ids: a longer one is Infinity to JavaScript, which SQL refuses.
const MEMBER = `${PANEL}/members/:patientId{[0-9]{1,15}}`;
const NO_PANEL = 'There is no active panel with that number.';
const NO_MEMBER = 'That patient is not on this panel.';

type Body = Record<string, string | File | (string | File)[]>;
const all = (body: Body, name: string) => [body[name] ?? []].flat().filter((v): v is string => typeof v === 'string');
const first = (body: Body, name: string) => all(body, name)[0] ?? '';
/** A count or page number from a query string; anything else is 0. */
const count = (value: string | null) => (/^\d{1,9}$/.test(value ?? '') ? Number(value) : 0);

/** Ids ticked in a form; null when one is not an id (the form was not ours). */
function patientIds(body: Body): number[] | null {
  const values = all(body, 'patient_id');
  return values.every((v) => /^\d{1,15}$/.test(v)) ? values.map(Number) : null;
}

function notFound(c: AppContext, message: string) {
  if (wantsFragment(c)) {
    c.header('HX-Retarget', '#flash');
    c.header('HX-Reswap', 'outerHTML');
    return c.html(<ErrorFlash status={404} message={message} />, 404);
  }
  return page(c, <ErrorPage status={404} message={message} chrome={c.var.chrome} />, 404);
}

async function loadPanel(c: AppContext): Promise<MembersPanel | null> {
  const id = Number(c.req.param('panelId'));
  return Number.isSafeInteger(id) ? getActivePanel(c.var.deps.db, id) : null;
}

function memberQuery(params: URLSearchParams): MemberQuery {
  const problem = params.get('problem');
  return { q: (params.get('q') ?? '').trim().slice(0, 100), page: count(params.get('page')) || 1,
    problem: isMemberProblem(problem) ? problem : null };
}

/** The list a form came from: only this panel's members URL is taken; anything else is the plain list. */
function returnQuery(panelId: number, returnTo: string): MemberQuery {
  const base = 'http://portal.invalid';
  const url = URL.canParse(returnTo, base) ? new URL(returnTo, base) : null;
  return url && url.origin === base && url.pathname === membersUrl(panelId)
    ? memberQuery(url.searchParams) : memberQuery(new URLSearchParams());
}

/** htmx 4's <hx-partial>: the readiness and counts at the top, swapped along with a row or the list. */
function SummaryPartial({ panel, summary, query }: { panel: MembersPanel; summary: PanelSummary; query: MemberQuery }) {
  return jsx('hx-partial', { 'hx-target': '#members-summary', 'hx-swap': 'outerHTML' },
    <MembersSummary panel={panel} validation={summary.validation} counts={summary} problem={query.problem} />);
}

/** The members list (page or region), recorded in the audit trail as a view of the rows shown. */
async function showMembers(c: AppContext, panel: MembersPanel, query: MemberQuery,
  { notice, bulk, status = 200, withSummary = false }: { notice?: MembersNotice; bulk?: BulkForm; status?: 200 | 422; withSummary?: boolean } = {}) {
  const { db, clock } = c.var.deps;
  const now = clock.now();
  const listing = await listMembers(db, panel.id, query, now);
  await audit(c, { action: 'view', objectType: 'panel_members', objectId: panel.id, patientCount: listing.rows.length });
  const today = edmontonDate(now);
  if (!wantsFragment(c)) {
    return page(c, <MembersPage panel={panel} listing={listing} today={today} chrome={c.var.chrome} notice={notice} bulk={bulk} />, status);
  }
  return c.html(
    <>
      <MembersRegion panel={panel} listing={listing} today={today} notice={notice} bulk={bulk} />
      {withSummary ? <SummaryPartial panel={panel} summary={listing} query={listing.query} /> : null}
    </>,
    status,
  );
}

function noticeFrom(params: URLSearchParams): MembersNotice | undefined {
  if (params.has('removed')) return { kind: 'removed' };
  if (!params.has('confirmed')) return undefined;
  return { kind: 'confirmed', confirmed: count(params.get('confirmed')),
    alreadyConfirmed: count(params.get('already_confirmed')), notOnPanel: count(params.get('not_on_panel')) };
}

async function showCandidates(c: AppContext, panel: MembersPanel, q: string,
  { notice, form, status = 200 }: { notice?: Addition; form?: AddForm; status?: 200 | 422 } = {}) {
  const found = await searchCandidates(c.var.deps.db, panel.id, q);
  if (q) await audit(c, { action: 'view', objectType: 'patient_search', objectId: panel.id, patientCount: found.candidates.length });
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
    return showMembers(c, panel, memberQuery(params), { notice: noticeFrom(params) });
  })
  // Every member, streamed in chunks: a 5,000-patient panel never sits in memory as one string.
  .get(`${PANEL}/members.csv`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const { db, clock } = c.var.deps;
    const now = clock.now();
    await audit(c, { action: 'export', objectType: 'panel_members', objectId: panel.id, patientCount: await countMembers(db, panel.id) });
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
    if (!(await confirmMember(db, panel.id, patientId, today))) return notFound(c, NO_MEMBER);
    const summary = await panelSummary(db, panel.id, now);
    const member = await getMember(db, panel.id, patientId, now, summary);
    if (!member) return notFound(c, NO_MEMBER);
    await audit(c, { action: 'edit', objectType: 'panel_member', objectId: panel.id,
      patients: [{ uli: member.uli, name: `${member.lastName}, ${member.firstName}` }] });
    if (!wantsFragment(c)) return c.redirect(`${membersUrl(panel.id, query)}#member-${patientId}`, 303);
    return c.html(
      <>
        <MemberRowView panelId={panel.id} member={member} today={today} returnTo={membersUrl(panel.id, query)} />
        <SummaryPartial panel={panel} summary={summary} query={query} />
      </>,
    );
  })
  .post(`${MEMBER}/removal`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const { db, clock } = c.var.deps;
    const query = returnQuery(panel.id, first(await c.req.parseBody(), 'return_to'));
    const removed = await removeMember(db, panel.id, Number(c.req.param('patientId')));
    if (!removed) return notFound(c, NO_MEMBER);
    await audit(c, { action: 'delete', objectType: 'panel_member', objectId: panel.id, patients: [removed] });
    if (!wantsFragment(c)) return c.redirect(membersUrl(panel.id, query, { removed: 1 }), 303);
    // No main content: the row's `outerHTML swapEmpty:true` replaces it with nothing.
    return c.html(<SummaryPartial panel={panel} summary={await panelSummary(db, panel.id, clock.now())} query={query} />);
  })
  .post(`${PANEL}/confirmations`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const { db, clock } = c.var.deps;
    const body = await c.req.parseBody({ all: true });
    const query = returnQuery(panel.id, first(body, 'return_to'));
    const now = clock.now();
    const typed = first(body, 'confirmed_on');
    const date = parseConfirmationDate(typed, edmontonDate(now));
    const ids = patientIds(body);
    const byFilter = first(body, 'scope') === 'filter';
    // Bad input changes nothing: the list comes back with the message and every value as sent.
    const reject = (error: string) =>
      showMembers(c, panel, query, { status: 422, bulk: { error, confirmedOn: typed, selected: new Set(ids ?? []) } });
    if (!date.ok) return reject(date.message);
    if (ids === null) return reject('The selection was not understood: tick the patients again.');
    if (byFilter && !query.q && !query.problem) return reject('Search or choose a filter before confirming everyone it shows.');
    if (!byFilter && ids.length === 0) return reject('Select at least one patient to confirm.');
    const targets = byFilter ? await matchingMemberIds(db, panel.id, query, now) : ids;
    const result = await confirmMembers(db, panel.id, targets, date.date);
    await audit(c, { action: 'edit', objectType: 'panel_member', objectId: panel.id, patientCount: result.confirmed });
    if (!wantsFragment(c)) {
      return c.redirect(membersUrl(panel.id, query, { confirmed: result.confirmed,
        already_confirmed: result.alreadyConfirmed, not_on_panel: result.notOnPanel }), 303);
    }
    return showMembers(c, panel, query, { notice: { kind: 'confirmed', ...result }, withSummary: true });
  })
  .get(`${PANEL}/candidates`, async (c) => {
    const panel = await loadPanel(c);
    if (!panel) return notFound(c, NO_PANEL);
    const params = new URL(c.req.url).searchParams;
    const notice = params.has('added')
      ? { added: count(params.get('added')), alreadyMembers: count(params.get('already_members')), unknown: count(params.get('unknown')) }
      : undefined;
    return showCandidates(c, panel, (params.get('q') ?? '').trim().slice(0, 100), { notice });
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
    await audit(c, { action: 'create', objectType: 'panel_member', objectId: panel.id, patientCount: result.added });
    if (!wantsFragment(c)) {
      const params = new URLSearchParams({ q, added: String(result.added), already_members: String(result.alreadyMembers), unknown: String(result.unknown) });
      return c.redirect(`${candidatesUrl(panel.id)}?${params}`, 303);
    }
    return showCandidates(c, panel, q, { notice: result });
  });
