import { STANDINGS, type Standing, type SubmissionPage, type SubmissionSort } from '../domain/submissions/submissions-page.ts';
import type { Judgement } from '../domain/panels/validation.ts';
import type { Child } from 'hono/jsx';
import { Layout, type Chrome } from './layout.tsx';
import { SubmissionRowView, SubmitCheck } from './submission-row.tsx';
import type { SubmissionRow } from '../domain/submissions/submissions.ts';

const PAGE_URL = '/settings/cii-cpar/submissions';
const pageUrl = (sort: SubmissionSort, page: number, standing: Standing | null) => `${PAGE_URL}?${new URLSearchParams({
  ...(standing ? { status: standing } : {}), ...(sort === 'status' ? { sort } : {}), ...(page > 1 ? { page: String(page) } : {}),
})}`.replace(/\?$/, '');

const STANDING_WORDS: Record<Standing, string> = {
  failed: 'Failed', never: 'Never submitted', queued: 'Queued', pending: 'Pending', submitted: 'Submitted',
};

/** Counts by status above the table, each a link that shows only those panels. */
function StatusSummary({ listing }: { listing: SubmissionPage }) {
  const all = STANDINGS.reduce((n, k) => n + listing.counts[k], 0);
  const link = (standing: Standing | null, text: string) => {
    const current = listing.standing === standing;
    return (
      <li class={standing ? `standing-${standing}` : 'standing-all'}>
        <a href={pageUrl(listing.sort, 1, standing)} aria-current={current ? 'page' : undefined}>{text}</a>
      </li>
    );
  };
  return (
    <nav class="status-summary" aria-label="Panels by status">
      <ul>
        {link(null, `All ${all}`)}
        {STANDINGS.filter((k) => listing.counts[k] > 0 || listing.standing === k)
          .map((k) => link(k, `${listing.counts[k]} ${STANDING_WORDS[k]}`))}
      </ul>
    </nav>
  );
}

function SortHeader({ listing, sort, label, class: className }: { listing: SubmissionPage; sort: SubmissionSort; label: string; class?: string }) {
  const sorted = listing.sort === sort;
  return (
    <th scope="col" class={className} aria-sort={sorted ? 'ascending' : undefined}>
      {sorted ? <>{label} <span aria-hidden="true">▲</span></> : <a href={pageUrl(sort, 1, listing.standing)} id={`sort-by-${sort}`}>{label}</a>}
    </th>
  );
}

function Pager({ listing }: { listing: SubmissionPage }) {
  if (listing.pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages of panels">
      {listing.page > 1 ? <a href={pageUrl(listing.sort, listing.page - 1, listing.standing)} rel="prev">Previous</a> : null}
      <span>Page {listing.page} of {listing.pages} ({listing.total} panels)</span>
      {listing.page < listing.pages ? <a href={pageUrl(listing.sort, listing.page + 1, listing.standing)} rel="next">Next</a> : null}
    </nav>
  );
}

type TableProps = {
  listing: SubmissionPage; readiness: Map<number, Judgement>; now: Date;
  message?: { panelId: number; text: string };
};

/** The counts, the table of panels and its pager: the part the route may keep rendered. */
export function SubmissionsTable({ listing, readiness, now, message }: TableProps) {
  const rows = listing.rows;
  return (
    <>
      <StatusSummary listing={listing} />
      <table id="submissions">
        <caption class="visually-hidden">Last submission of each CPAR panel</caption>
        <thead>
          <tr>
            <SortHeader listing={listing} sort="name" label="Panel" />
            <th scope="col">Created</th>
            <th scope="col" class="num">Patients</th>
            <SortHeader listing={listing} sort="status" label="Status" />
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
      {rows.length === 0 ? (
        <p class="empty">{listing.standing ? 'No panel stands so now.' : 'No panel is CPAR-enabled yet.'}</p>
      ) : null}
      <Pager listing={listing} />
    </>
  );
}

/** `table`: SubmissionsTable, as an element or as the (escaped) HTML it rendered to. */
export function SubmissionsPage({ table, chrome, notice }: {
  table: Child; chrome: Chrome;
  /** what the last Submit did, when the page comes after its redirect */
  notice?: string;
}) {
  return (
    <Layout title="Submissions" chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR</p>
      <h1>Submissions</h1>
      <p class="lead">
        Every CPAR panel is sent to Alberta Netcare on the 15th of each month at 21:00 Mountain Time.
        When a submission fails, correct the errors before you resubmit it. The last column checks
        each panel against the same rules now, so problems can be fixed before the 15th.
      </p>
      {/* The live region Submit's answers speak through; visible when the page itself reports. */}
      <p id="submit-status" role="status" class={notice ? 'notice' : 'visually-hidden'}>{notice ?? ''}</p>
      {table}
    </Layout>
  );
}

/** Without JavaScript, Submit on a Not-ready panel asks on a page of its own. */
export function SubmitCheckPage({ row, readiness, chrome }: { row: SubmissionRow; readiness: Judgement; chrome: Chrome }) {
  return (
    <Layout title="Submit a panel that will fail?" chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR › <a href={PAGE_URL}>Submissions</a></p>
      <h1>Submit “{row.panelName}”?</h1>
      <SubmitCheck row={row} readiness={readiness} />
    </Layout>
  );
}
