import type { Selected } from '../domain/panels/member-changes.ts';
import type { MemberQuery, MembersPanel } from '../domain/panels/panel-members.ts';
import { Layout, type Chrome } from './layout.tsx';
import { membersUrl, panelUrl, returnToValue } from './member-row.tsx';
import { MemberSearchButton } from './member-search.tsx';
import { ScrollTable } from './scroll-table.tsx';

/** A bulk change that replaces or removes what is there: shown to the user before it is made. */
export type Review = { kind: 'reconfirm'; date: string; selected: Selected[] } | { kind: 'remove'; selected: Selected[] };

export const reconfirmationsUrl = (panelId: number) => `${panelUrl(panelId)}/reconfirmations`;
export const removalsUrl = (panelId: number) => `${panelUrl(panelId)}/removals`;

const patients = (n: number) => (n === 1 ? '1 patient' : `${n} patients`);

/** "3 dates will be replaced: 2026-06-01 → 2026-12-05 (2), 2025-11-03 → 2026-12-05 (1)." and the rest. */
export function reconfirmSummary(date: string, selected: Selected[]): string[] {
  const replaced = selected.filter((s) => s.confirmedOn !== null && s.confirmedOn !== date);
  const from = new Map<string, number>();
  for (const s of replaced) from.set(s.confirmedOn!, (from.get(s.confirmedOn!) ?? 0) + 1);
  const missing = selected.filter((s) => s.confirmedOn === null).length;
  const same = selected.length - replaced.length - missing;
  return [
    replaced.length
      ? `${replaced.length === 1 ? '1 existing confirmation date' : `${replaced.length} existing confirmation dates`} will be replaced: ${
        [...from].sort(([a], [b]) => (a < b ? 1 : -1)).map(([d, n]) => `${d} → ${date} (${n})`).join(', ')}.`
      : 'No existing confirmation date will be replaced.',
    missing ? `${patients(missing)} without a date will get ${date}.` : '',
    same ? `${patients(same)} already confirmed on ${date} will stay as they are.` : '',
  ].filter(Boolean);
}

/** The check before the change: the swap target is the members region, whose place it takes. */
export function ReviewRegion({ panel, review, query }: { panel: MembersPanel; review: Review; query: MemberQuery }) {
  const action = review.kind === 'reconfirm' ? reconfirmationsUrl(panel.id) : removalsUrl(panel.id);
  const changing = review.kind === 'reconfirm' ? review.selected.filter((s) => s.confirmedOn !== review.date).length : review.selected.length;
  return (
    <section id="members" aria-labelledby="review-heading" class="review">
      <h2 id="review-heading" tabindex={-1} autofocus>
        {review.kind === 'reconfirm' ? 'Change confirmation dates?' : `Remove ${patients(review.selected.length)} from this panel?`}
      </h2>
      {review.kind === 'reconfirm'
        ? reconfirmSummary(review.date, review.selected).map((line) => <p>{line}</p>)
        : <p>They are taken off this panel with their confirmation dates for it; the patient records are kept.</p>}
      <p class="meta">You can undo this from the next page until midnight tonight.</p>
      <ScrollTable label="Changes to review">
        <table id="review-table">
          <caption class="visually-hidden">Patients this change concerns</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Confirmation date now</th>
            {review.kind === 'reconfirm' ? <th scope="col">After the change</th> : null}</tr></thead>
          <tbody>
            {review.selected.map((s) => (
              <tr id={`review-${s.patientId}`}>
                <th scope="row">{s.name}</th>
                <td>{s.confirmedOn ?? '—'}</td>
                {review.kind === 'reconfirm' ? <td>{review.date}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <form method="post" action={action} hx-post={action} hx-target="#members" hx-swap="outerHTML" class="review-actions">
        <input type="hidden" name="return_to" value={returnToValue(panel.id, query)} />
        <input type="hidden" name="confirm" value="yes" />
        {review.kind === 'reconfirm' ? <input type="hidden" name="confirmed_on" value={review.date} /> : null}
        {review.selected.map((s) => <input type="hidden" name="patient_id" value={String(s.patientId)} />)}
        <button type="submit" class="danger" disabled={changing === 0}>
          {review.kind === 'reconfirm' ? `Replace with ${review.date}` : `Remove ${patients(review.selected.length)}`}
        </button>
      </form>{' '}
      {/* Back to the list as it was; a search goes back by POST, never in a link. */}
      {query.q ? <MemberSearchButton panelId={panel.id} query={query} label="Cancel: change nothing" />
        : <a href={membersUrl(panel.id, query)}>Cancel: change nothing</a>}
    </section>
  );
}

/** Without JavaScript, the same check as a page of its own. */
export function ReviewPage({ panel, review, query, chrome }: { panel: MembersPanel; review: Review; query: MemberQuery; chrome: Chrome }) {
  return (
    <Layout title="Check before changing" chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR › <a href="/settings/cii-cpar/panels">Panels</a> › <a href={membersUrl(panel.id, query)}>Members of {panel.name}</a></p>
      <h1 class="panel-title">Members of {panel.name}</h1>
      <ReviewRegion panel={panel} review={review} query={query} />
    </Layout>
  );
}
