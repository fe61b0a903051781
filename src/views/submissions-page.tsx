import type { SubmissionPage, SubmissionSort } from '../domain/submissions-page.ts';
import type { Judgement } from '../domain/validation.ts';
import { Layout, type Chrome } from './layout.tsx';
import { SubmissionRowView } from './submission-row.tsx';

const PAGE_URL = '/settings/cii-cpar/submissions';
const pageUrl = (sort: SubmissionSort, page: number) =>
  `${PAGE_URL}?${new URLSearchParams({ ...(sort === 'status' ? { sort } : {}), ...(page > 1 ? { page: String(page) } : {}) })}`.replace(/\?$/, '');

function SortLink({ listing, sort, label }: { listing: SubmissionPage; sort: SubmissionSort; label: string }) {
  return listing.sort === sort
    ? <span aria-sort="ascending">{label} <span aria-hidden="true">▲</span></span>
    : <a href={pageUrl(sort, 1)} id={`sort-by-${sort}`}>{label}</a>;
}

function Pager({ listing }: { listing: SubmissionPage }) {
  if (listing.pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages of panels">
      {listing.page > 1 ? <a href={pageUrl(listing.sort, listing.page - 1)} rel="prev">Previous</a> : null}
      <span>Page {listing.page} of {listing.pages} ({listing.total} panels)</span>
      {listing.page < listing.pages ? <a href={pageUrl(listing.sort, listing.page + 1)} rel="next">Next</a> : null}
    </nav>
  );
}

export function SubmissionsPage({ listing, readiness, now, chrome, message }: {
  listing: SubmissionPage; readiness: Map<number, Judgement>; now: Date; chrome: Chrome;
  message?: { panelId: number; text: string };
}) {
  const rows = listing.rows;
  return (
    <Layout title="Submissions" chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR</p>
      <h1>Submissions</h1>
      <p class="lead">
        Every CPAR panel is sent to Alberta Netcare on the 15th of each month at 21:00 Mountain Time.
        When a submission fails, correct the errors before you resubmit it. The last column checks
        each panel against the same rules now, so problems can be fixed before the 15th.
      </p>
      <table id="submissions">
        <caption class="visually-hidden">Last submission of each CPAR panel</caption>
        <thead>
          <tr>
            <th scope="col"><SortLink listing={listing} sort="name" label="Panel" /></th>
            <th scope="col">Created</th>
            <th scope="col" class="num">Patients</th>
            <th scope="col"><SortLink listing={listing} sort="status" label="Status" /></th>
            <th scope="col">Error</th>
            <th scope="col">Actions</th>
            <th scope="col">Ready to send now?</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <SubmissionRowView row={row} now={now} readiness={readiness.get(row.panelId)!}
              message={message?.panelId === row.panelId ? message.text : undefined} />
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p class="empty">No panel is CPAR-enabled yet.</p> : null}
      <Pager listing={listing} />
    </Layout>
  );
}
