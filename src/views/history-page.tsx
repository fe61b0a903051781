import type { Paged, PanelOverview, SubmissionFacts } from '../domain/submissions/submission-history.ts';
import { submitUrl } from './submission-row.tsx';
import { Layout, type Chrome } from './layout.tsx';
import { ScrollTable } from './scroll-table.tsx';
import {
  Pager, Progress, StatusBadge, When, notifiedText, panelHistoryUrl, panelUrl, shortName, submissionUrl, triggerText,
} from './submission-page.tsx';

/** One submission in a panel's history; its date opens the submission's page. */
export function HistoryRow({ s }: { s: SubmissionFacts }) {
  return (
    <tr id={`submission-${s.id}`}>
      <th scope="row" class="created"><a href={submissionUrl(s.id)}><When at={s.createdAt} /></a></th>
      <td class="trigger">{triggerText(s)}</td>
      <td class="patients num">{s.patientCount ?? ''}</td>
      <td class="status"><StatusBadge status={s.status} /></td>
      <td class="reference">{s.netcareReference ?? ''}</td>
      <td class="progress-cell"><Progress s={s} /></td>
      <td class="error-cell">{s.briefError ?? ''}</td>
      <td class="notified">{notifiedText(s)}</td>
    </tr>
  );
}

/** Submit from the history, as on the Submissions page; without htmx it lands there (303). */
function SubmitForm({ panel }: { panel: PanelOverview }) {
  return (
    <form method="post" action={submitUrl(panel.id)} class="submit-panel" id="submit-panel">
      <p>Correct the errors of a failed submission before you resubmit it.</p>
      <button type="submit">Submit this panel</button>
    </form>
  );
}

/** Every submission of one panel, newest first, a page at a time. */
export function HistoryPage({ panel, submissions, offerSubmit, chrome }: {
  panel: PanelOverview; submissions: Paged<SubmissionFacts>; offerSubmit: boolean; chrome: Chrome;
}) {
  const name = shortName(panel.name);
  return (
    <Layout title={`Submission history — ${name}`} chrome={chrome}>
      <p class="breadcrumb">
        Settings › CII/CPAR › <a href="/settings/cii-cpar/submissions">Submissions</a> › <a href={panelUrl(panel.id)}>{name}</a>
      </p>
      <h1>Submission history</h1>
      <p class="meta">
        <a href={panelUrl(panel.id)}>{name}</a> {panel.panelNumber ? <span class="panel-number">{panel.panelNumber}</span> : null}
        {panel.active ? null : <> <span class="badge badge-inactive">Inactive</span></>}
      </p>
      {offerSubmit ? <SubmitForm panel={panel} /> : null}
      {submissions.total === 0 ? <p class="empty">This panel has never been submitted.</p> : (
        <>
          <ScrollTable label="Submissions of this panel">
            <table id="submission-history">
              <caption class="visually-hidden">Every submission of this panel, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Trigger</th>
                  <th scope="col" class="num">Patients</th>
                  <th scope="col">Status</th>
                  <th scope="col">Netcare reference</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Error</th>
                  <th scope="col">Failure recipient notified</th>
                </tr>
              </thead>
              <tbody>{submissions.items.map((s) => <HistoryRow s={s} />)}</tbody>
            </table>
          </ScrollTable>
          <p class="meta">{submissions.total} {submissions.total === 1 ? 'submission' : 'submissions'} in all.</p>
          <Pager page={submissions.page} pageCount={submissions.pageCount} label="Pages of submissions"
            href={(page) => `${panelHistoryUrl(panel.id)}?page=${page}`} />
        </>
      )}
    </Layout>
  );
}
