// What the routes of a panel's members share: reading the panel and the form, the list as it
// was shown, and answering with the members region (htmx) or the whole page.
import { jsx } from 'hono/jsx';
import { edmontonDate } from '../domain/time/edmonton.ts';
import { atDataVersion } from '../domain/database/data-version.ts';
import { getActivePanel, isMemberFilter, listMembers, type MemberQuery, type MembersPanel, type PanelSummary } from '../domain/panels/panel-members.ts';
import { getChange, undoable, type ChangeKind } from '../domain/panels/member-changes.ts';
import { MembersBody, MembersPage } from '../views/members-page.tsx';
import { rendered } from '../views/rendered.ts';
import { MembersRegion, type BulkForm, type MembersNotice } from '../views/member-region.tsx';
import { MembersSummary } from '../views/member-summary.tsx';
import { membersUrl } from '../views/member-row.tsx';
import { errorAnswer } from './error-answer.tsx';
import { page, wantsFragment, type AppContext } from './env.ts';
import { audit } from './audit.ts';
import { pageNumber, recordId, wholeNumber } from './query.ts';

export const PANEL = '/panels/:panelId{[0-9]+}';
// At most 15 digits, as for ticked ids: a longer one is Infinity to JavaScript, which SQL refuses.
export const MEMBER = `${PANEL}/members/:patientId{[0-9]{1,15}}`;
export const NO_PANEL = 'There is no active panel with that number.';
export const NO_MEMBER = 'That patient is not on this panel.';

export type Body = Record<string, string | File | (string | File)[]>;
const all = (body: Body, name: string) => [body[name] ?? []].flat().filter((v): v is string => typeof v === 'string');
export const first = (body: Body, name: string) => all(body, name)[0] ?? '';
/** A count from a query string; anything else is 0. */
export const count = (value: string | null) => wholeNumber(value) ?? 0;

/** Ids ticked in a form; null when one is not an id (the form was not ours). */
export function patientIds(body: Body): number[] | null {
  const values = all(body, 'patient_id');
  return values.every((v) => /^\d{1,15}$/.test(v)) ? values.map(Number) : null;
}

export function notFound(c: AppContext, message: string) {
  return errorAnswer(c, 404, message);
}

/**
 * The active panel the address names, or null. A GET reads it at the data version its session
 * read, so a kept members page costs no read of its own on a libSQL server; a change (a POST)
 * reads it afresh.
 */
export async function loadPanel(c: AppContext): Promise<MembersPanel | null> {
  const id = Number(c.req.param('panelId'));
  if (!Number.isSafeInteger(id)) return null;
  const { db } = c.var.deps;
  const version = c.var.dataVersion;
  return version === undefined ? getActivePanel(db, id) : atDataVersion(db, `active-panel|${id}`, version, () => getActivePanel(db, id));
}

export function memberQuery(params: URLSearchParams): MemberQuery {
  const problem = params.get('problem');
  return { q: (params.get('q') ?? '').trim().slice(0, 100), page: pageNumber(params.get('page')),
    problem: isMemberFilter(problem) ? problem : null };
}

/** The list a form came from: only this panel's members URL is taken; anything else is the plain list. */
export function returnQuery(panelId: number, returnTo: string): MemberQuery {
  const base = 'http://portal.invalid';
  const url = URL.canParse(returnTo, base) ? new URL(returnTo, base) : null;
  return url && url.origin === base && url.pathname === membersUrl(panelId)
    ? memberQuery(url.searchParams) : memberQuery(new URLSearchParams());
}

/** htmx 4's <hx-partial>: the readiness and counts at the top, swapped along with a row or the list. */
export function SummaryPartial({ panel, summary, query }: { panel: MembersPanel; summary: PanelSummary; query: MemberQuery }) {
  return jsx('hx-partial', { 'hx-target': '#members-summary', 'hx-swap': 'outerHTML' },
    <MembersSummary panel={panel} validation={summary.validation} warnings={summary.warnings} counts={summary} problem={query.problem} />);
}

/** The members list (page or region), recorded in the audit trail as a view of the rows shown. */
export async function showMembers(c: AppContext, panel: MembersPanel, query: MemberQuery,
  { notice, bulk, status = 200, withSummary = false }: { notice?: MembersNotice; bulk?: BulkForm; status?: 200 | 409 | 422; withSummary?: boolean } = {}) {
  const { db, clock } = c.var.deps;
  const now = clock.now();
  const today = edmontonDate(now);
  const load = () => listMembers(db, panel.id, query, now);
  // The plain page (no search, no report of a change) is kept as the HTML it rendered to, with
  // the patients it shows, until the data or the day changes; its view is audited every time.
  if (!wantsFragment(c) && !query.q && !notice && !bulk) {
    const kept = await atDataVersion(db, `members-page|${panel.id}|${today}|${query.problem}|${query.page}`, c.var.dataVersion, async () => {
      const listing = await load();
      return { body: await rendered(<MembersBody panel={panel} listing={listing} today={today} />), patientIds: listing.rows.map((r) => r.patientId) };
    });
    await audit(c, { action: 'view', objectType: 'panel_members', objectId: panel.id, patientIds: kept.patientIds });
    return page(c, <MembersPage body={kept.body} chrome={c.var.chrome} />, status);
  }
  // A search is read afresh; the list and its filters only when the data (or the day) changed.
  const listing = query.q ? await load()
    : await atDataVersion(db, `members|${panel.id}|${today}|${query.problem}|${query.page}`, c.var.dataVersion, load);
  await audit(c, { action: 'view', objectType: 'panel_members', objectId: panel.id, 
    patientIds: listing.rows.map((r) => r.patientId) });
  if (!wantsFragment(c)) {
    return page(c, <MembersPage body={<MembersBody panel={panel} listing={listing} today={today} notice={notice} bulk={bulk} />} chrome={c.var.chrome} />, status);
  }
  return c.html(
    <>
      <MembersRegion panel={panel} listing={listing} today={today} notice={notice} bulk={bulk} />
      {withSummary ? <SummaryPartial panel={panel} summary={listing} query={listing.query} /> : null}
    </>,
    status,
  );
}

/**
 * Without JavaScript, after a change: a redirect to the list as it was, carrying the notice.
 * A search (a ULI or a name) never goes into the Location: that list is shown in place.
 */
export async function backToList(c: AppContext, panel: MembersPanel, query: MemberQuery, notice: Record<string, string | number>, anchor = '') {
  if (!query.q) return c.redirect(`${membersUrl(panel.id, query, notice)}${anchor}`, 303);
  const params = new URLSearchParams(Object.entries(notice).map(([k, v]) => [k, String(v)]));
  return showMembers(c, panel, query, { notice: await noticeFrom(c, panel, params) });
}

const CHANGE_KINDS: ChangeKind[] = ['confirm', 'reconfirm', 'remove'];

/**
 * The notice a redirect after a change carries: the change itself is read from the database,
 * so the report and its Undo survive a reload and need no session.
 */
export async function noticeFrom(c: AppContext, panel: MembersPanel, params: URLSearchParams): Promise<MembersNotice | undefined> {
  const { db, clock } = c.var.deps;
  if (params.has('removed')) return { kind: 'removed' };
  const unchanged = params.get('unchanged');
  if (unchanged && (CHANGE_KINDS as string[]).includes(unchanged)) {
    return { kind: 'unchanged', action: unchanged as ChangeKind, selected: count(params.get('selected')) };
  }
  const refused = params.get('undo_refused');
  if (refused === 'expired' || refused === 'already_undone') return { kind: 'undo-refused', reason: refused };
  const id = recordId(params.get('change') ?? params.get('undone'));
  const change = id ? await getChange(db, panel.id, id) : null;
  if (!change) return undefined;
  if (params.has('undone')) {
    return { kind: 'undone', change, restored: count(params.get('restored')), changedSince: count(params.get('changed_since')) };
  }
  return { kind: 'change', change, undoable: undoable(change, clock.now()) };
}
