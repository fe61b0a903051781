import { MEMBERS_PAGE_SIZE, type MembersListing, type MembersPanel } from '../domain/panel-members.ts';
import { MemberRowView, confirmationsUrl, candidatesUrl, membersUrl } from './member-row.tsx';

export type MembersNotice =
  | { kind: 'confirmed'; confirmed: number; alreadyConfirmed: number; notOnPanel: number }
  | { kind: 'removed' };

/** What the bulk form was sent with, kept when it is answered with an error. */
export type BulkForm = { error?: string; confirmedOn?: string; selected?: ReadonlySet<number> };

const patients = (count: number) => (count === 1 ? '1 patient' : `${count} patients`);
const were = (count: number) => (count === 1 ? 'was' : 'were');

function noticeText(notice: MembersNotice): string {
  if (notice.kind === 'removed') return 'The patient was removed from this panel. The patient record is kept.';
  const { confirmed, alreadyConfirmed, notOnPanel } = notice;
  return [`${patients(confirmed)} confirmed.`,
    alreadyConfirmed ? `${alreadyConfirmed} ${were(alreadyConfirmed)} already confirmed on that date.` : '',
    notOnPanel ? `${notOnPanel} ${were(notOnPanel)} not on this panel.` : ''].filter(Boolean).join(' ');
}

function Pagination({ panelId, listing }: { panelId: number; listing: MembersListing }) {
  const { page, pageCount, query } = listing;
  if (pageCount <= 1) return null;
  return (
    <nav class="pages" aria-label="Pages">
      {page > 1 ? <a href={membersUrl(panelId, { ...query, page: page - 1 })} rel="prev">← Previous</a> : null}
      <span>Page {page} of {pageCount}</span>
      {page < pageCount ? <a href={membersUrl(panelId, { ...query, page: page + 1 })} rel="next">Next →</a> : null}
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
  const returnTo = membersUrl(panel.id, query);
  const filtered = Boolean(query.q || query.problem);
  const first = (page - 1) * MEMBERS_PAGE_SIZE + 1;
  return (
    <section id="members" aria-label="Members">
      {notice ? <p class="notice" role="status">{noticeText(notice)}</p> : null}
      {rows.length ? (
        <form id="bulk-confirm" class="bulk" method="post" action={confirmationsUrl(panel.id)}
          hx-post={confirmationsUrl(panel.id)} hx-target="#members" hx-swap="outerHTML">
          <input type="hidden" name="return_to" value={returnTo} />
          <label for="confirmed-on">Confirmation date</label>{' '}
          <input id="confirmed-on" type="date" name="confirmed_on" value={bulk.confirmedOn ?? today} max={today}
            aria-invalid={bulk.error ? 'true' : undefined} aria-describedby={bulk.error ? 'bulk-error' : undefined} />{' '}
          <button type="submit">Confirm selected</button>{' '}
          {filtered ? (
            <button type="submit" name="scope" value="filter" class="secondary">
              Confirm all {matching} shown by this filter
            </button>
          ) : null}
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
              <MemberRowView panelId={panel.id} member={member} today={today} returnTo={returnTo}
                checked={bulk.selected?.has(member.patientId)} />
            ))}
          </tbody>
        </table>
      ) : listing.memberCount === 0 ? (
        <p class="empty">No patients are assigned to this panel yet. <a href={candidatesUrl(panel.id)}>Add patients</a>.</p>
      ) : null}
      <Pagination panelId={panel.id} listing={listing} />
    </section>
  );
}
