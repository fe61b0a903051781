import type { MembersListing, MembersPanel } from '../domain/panels/panel-members.ts';
import type { Child } from 'hono/jsx';
import { Layout, type Chrome } from './layout.tsx';
import { MembersSummary } from './member-summary.tsx';
import { MembersRegion, type BulkForm, type MembersNotice } from './member-region.tsx';
import { candidatesUrl, csvUrl, memberSearchUrl } from './member-row.tsx';

/**
 * Searches as the clerk types (htmx), or on Enter / the button without JavaScript; by POST, so
 * a ULI or name typed here never goes into a URL.
 */
function SearchForm({ panelId, listing }: { panelId: number; listing: MembersListing }) {
  const url = memberSearchUrl(panelId);
  return (
    <form id="member-search" role="search" method="post" action={url}
      hx-post={url} hx-trigger="input changed delay:300ms, submit" hx-target="#members" hx-swap="outerHTML">
      <label for="member-q">Search by name or ULI</label>{' '}
      <input id="member-q" type="search" name="q" value={listing.query.q} maxlength={100} autocomplete="off" />
      {listing.query.problem ? <input type="hidden" name="problem" value={listing.query.problem} /> : null}{' '}
      <button type="submit">Search</button>
    </form>
  );
}

type BodyProps = { panel: MembersPanel; listing: MembersListing; today: string; notice?: MembersNotice; bulk?: BulkForm };

/** A panel's members: readiness first, then the list to fix, confirm, add to and export. */
export function MembersBody({ panel, listing, today, notice, bulk }: BodyProps) {
  return (
    <>
      <p class="breadcrumb">Settings › CII/CPAR › <a href="/settings/cii-cpar/panels">Panels</a></p>
      <h1 class="panel-title">Members of {panel.name}</h1>
      {panel.panelNumber ? <p class="panel-number">CPAR panel {panel.panelNumber}</p> : null}
      <p class="lead">
        Each active member is sent to CPAR with their confirmation date for this panel and their last visit
        with any practitioner of the clinic. Fix what is flagged before the 15th.
      </p>
      <MembersSummary panel={panel} validation={listing.validation} warnings={listing.warnings} counts={listing} problem={listing.query.problem} />
      <div class="member-tools">
        <SearchForm panelId={panel.id} listing={listing} />
        <a href={candidatesUrl(panel.id)} id="add-patients">Add patients</a>
        <form method="post" action={csvUrl(panel.id)} id="export-csv" class="inline">
          <button type="submit" class="secondary">Export all members (CSV)</button>
        </form>
      </div>
      <MembersRegion panel={panel} listing={listing} today={today} notice={notice} bulk={bulk} />
    </>
  );
}

/** `body`: MembersBody, as an element or as the (escaped) HTML it rendered to. */
export function MembersPage({ body, chrome }: { body: Child; chrome: Chrome }) {
  return <Layout title="Panel members" chrome={chrome}>{body}</Layout>;
}
