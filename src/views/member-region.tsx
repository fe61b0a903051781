import { MEMBERS_PAGE_SIZE, type MembersListing, type MembersPanel } from '../domain/panels/panel-members.ts';
import type { ChangeKind, MemberChange } from '../domain/panels/member-changes.ts';
import { formatEdmontonDateTime } from '../domain/time/edmonton.ts';
import { MemberRowView, confirmationsUrl, candidatesUrl, membersUrl, panelUrl, returnToValue } from './member-row.tsx';
import { MemberSearchButton } from './member-search.tsx';
import { reconfirmationsUrl, removalsUrl } from './member-review.tsx';
import { ScrollTable } from './scroll-table.tsx';

export type MembersNotice =
  | { kind: 'removed' }
  | { kind: 'change'; change: MemberChange; undoable: boolean }
  | { kind: 'unchanged'; action: ChangeKind; selected: number }
  | { kind: 'undone'; change: MemberChange; restored: number; changedSince: number }
  | { kind: 'undo-refused'; reason: 'expired' | 'already_undone' };

export const undoUrl = (panelId: number, changeId: number) => `${panelUrl(panelId)}/member-changes/${changeId}/undo`;

/** What the bulk form was sent with, kept when it is answered with an error. */
export type BulkForm = { error?: string; confirmedOn?: string; selected?: ReadonlySet<number> };

const patients = (count: number) => (count === 1 ? '1 patient' : `${count} patients`);
const were = (count: number) => (count === 1 ? 'was' : 'were');

function changeText(change: MemberChange): string {
  const kept = change.selectedCount - change.patientCount;
  if (change.kind === 'remove') return `${patients(change.patientCount)} removed from this panel. The patient records are kept.`;
  if (change.kind === 'reconfirm') return `${patients(change.patientCount)} now confirmed on ${change.confirmedOn}.`;
  return [`${patients(change.patientCount)} confirmed on ${change.confirmedOn}.`,
    kept ? `${kept} ${were(kept)} already confirmed and kept ${kept === 1 ? 'its' : 'their'} date.` : ''].filter(Boolean).join(' ');
}

function noticeText(notice: Exclude<MembersNotice, { kind: 'change' }>): string {
  switch (notice.kind) {
    case 'removed': return 'The patient was removed from this panel. The patient record is kept.';
    case 'unchanged':
      return notice.action === 'confirm'
        ? `Nothing changed: the ${patients(notice.selected)} selected already had a confirmation date, which ${notice.selected === 1 ? 'was' : 'were'} kept. To change a date, use “Change the date of selected”.`
        : 'Nothing changed.';
    case 'undone': {
      const what = notice.change.kind === 'remove' ? 'back on this panel' : 'back to their previous confirmation dates';
      return [`Undone: ${patients(notice.restored)} ${what}.`,
        notice.changedSince ? `${notice.changedSince} changed again since ${notice.changedSince === 1 ? 'was' : 'were'} left as ${notice.changedSince === 1 ? 'it is' : 'they are'}.` : ''].filter(Boolean).join(' ');
    }
    case 'undo-refused':
      return notice.reason === 'expired' ? 'This change can no longer be undone: undo lasts until midnight of the day it was made.' : 'This change was already undone.';
  }
}

/** What the last action did, from the database, with its Undo while it lasts. */
function Notice({ panelId, notice, returnTo }: { panelId: number; notice: MembersNotice; returnTo: string }) {
  if (notice.kind !== 'change') return <p class="notice" role="status">{noticeText(notice)}</p>;
  const { change } = notice;
  return (
    <div class="notice" role="status">
      <p>{changeText(change)}</p>
      {notice.undoable ? (
        <form method="post" action={undoUrl(panelId, change.id)} hx-post={undoUrl(panelId, change.id)} hx-target="#members" hx-swap="outerHTML" class="inline">
          <input type="hidden" name="return_to" value={returnTo} />
          <button type="submit" class="secondary">Undo</button>{' '}
          <span class="meta">(until midnight; made {formatEdmontonDateTime(change.madeAt)})</span>
        </form>
      ) : null}
    </div>
  );
}

/**
 * A missing last visit is not fixed here: it comes with the next import of the clinical record,
 * or the patient is not attached to this provider and leaves the panel.
 */
function NoLastVisitHelp() {
  return (
    <div class="help" id="no-last-visit-help">
      <p><strong>Confirming does not fix a missing last visit.</strong> Either:</p>
      <ul>
        <li>the patient was seen: the visit is recorded in the clinical record and arrives here with the next import; or</li>
        <li>the patient is not attached to this provider: select them and remove them from the panel (you can undo that until midnight).</li>
      </ul>
    </div>
  );
}

function Pagination({ panelId, listing }: { panelId: number; listing: MembersListing }) {
  const { page, pageCount, query } = listing;
  if (pageCount <= 1) return null;
  // Within a search the pages are POSTs that carry it; otherwise plain links.
  const to = (p: number, label: string, rel: string) => (query.q
    ? <MemberSearchButton panelId={panelId} query={{ ...query, page: p }} label={label} rel={rel} />
    : <a href={membersUrl(panelId, { ...query, page: p })} rel={rel}>{label}</a>);
  return (
    <nav class="pages" aria-label="Pages">
      {page > 1 ? to(page - 1, '← Previous', 'prev') : null}
      <span>Page {page} of {pageCount}</span>
      {page < pageCount ? to(page + 1, 'Next →', 'next') : null}
    </nav>
  );
}

/**
 * The members table with its bulk-confirmation form and pages: the swap target of the
 * search box and of bulk confirmation. Every form carries `return_to`, the list as shown.
 */
export function MembersRegion({ panel, listing, today, notice, bulk = {} }: {
  panel: MembersPanel; listing: MembersListing; today: string; notice?: MembersNotice; bulk?: BulkForm;
}) {
  const { rows, matching, query, page } = listing;
  const returnTo = returnToValue(panel.id, query);
  const filtered = Boolean(query.q || query.problem);
  const first = (page - 1) * MEMBERS_PAGE_SIZE + 1;
  return (
    <section id="members" aria-label="Members">
      {notice ? <Notice panelId={panel.id} notice={notice} returnTo={returnTo} /> : null}
      {query.problem === 'no_last_visit' && rows.length ? <NoLastVisitHelp /> : null}
      {rows.length ? (
        <form id="bulk-confirm" class="bulk" method="post" action={confirmationsUrl(panel.id)}
          hx-post={confirmationsUrl(panel.id)} hx-target="#members" hx-swap="outerHTML">
          <input type="hidden" name="return_to" value={returnTo} />
          {query.problem === 'no_last_visit' ? null : (
            <>
              <label for="confirmed-on">Confirmation date</label>{' '}
              <input id="confirmed-on" type="date" name="confirmed_on" value={bulk.confirmedOn ?? today} max={today} required
                aria-invalid={bulk.error ? 'true' : undefined} aria-describedby={bulk.error ? 'bulk-error bulk-hint' : 'bulk-hint'} />{' '}
              <button type="submit">Confirm selected</button>{' '}
              {filtered && listing.matchingUnconfirmed ? (
                <button type="submit" name="scope" value="filter" class="secondary">
                  Confirm the {listing.matchingUnconfirmed} without a date shown by this filter
                </button>
              ) : null}{' '}
              <button type="submit" formaction={reconfirmationsUrl(panel.id)} hx-post={reconfirmationsUrl(panel.id)}
                hx-target="#members" hx-swap="outerHTML" class="secondary">
                Change the date of selected…
              </button>
              <p class="hint" id="bulk-hint">Confirming fills only missing dates: a date already recorded is kept.</p>
            </>
          )}{' '}
          <button type="submit" formaction={removalsUrl(panel.id)} hx-post={removalsUrl(panel.id)}
            hx-target="#members" hx-swap="outerHTML" class="secondary danger-text">
            Remove selected from the panel…
          </button>
          {bulk.error ? <p id="bulk-error" class="error" role="alert">{bulk.error}</p> : null}
        </form>
      ) : bulk.error ? <p id="bulk-error" class="error" role="alert">{bulk.error}</p> : null}
      {listing.memberCount ? (
        <p class="meta" id="members-count">
          {matching === 0 ? 'No member' : `Showing ${first}–${first + rows.length - 1} of ${matching}`}
          {filtered ? ' matching this search or filter.' : ' on this panel.'}
        </p>
      ) : null}
      {rows.length ? (
        <ScrollTable label="Members table">
          <table id="members-table">
            <caption class="visually-hidden">Members of this panel</caption>
            <thead>
              <tr>
                <th scope="col"><span class="visually-hidden">Select</span></th>
                <th scope="col">Name</th>
                <th scope="col">ULI</th>
                <th scope="col">Date of birth</th>
                <th scope="col">Status</th>
                <th scope="col">Confirmation date</th>
                <th scope="col">Last visit</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((member) => (
                <MemberRowView panelId={panel.id} member={member} returnTo={returnTo}
                  checked={bulk.selected?.has(member.patientId)} />
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : listing.memberCount === 0 ? (
        <p class="empty">No patients are assigned to this panel yet. <a href={candidatesUrl(panel.id)}>Add patients</a>.</p>
      ) : null}
      <Pagination panelId={panel.id} listing={listing} />
    </section>
  );
}
