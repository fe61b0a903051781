import type { MonthCount, PanelOverview } from '../domain/submissions/submission-history.ts';
import type { Judgement } from '../domain/panels/validation.ts';
import { Layout, type Chrome } from './layout.tsx';
import { Readiness } from './readiness.tsx';
import { PatientCountChart } from './patient-count-chart.tsx';
import { panelHistoryUrl, shortName } from './submission-page.tsx';

export const membersUrl = (panelId: number) => `/settings/cii-cpar/panels/${panelId}/members`;
export const editUrl = (panelId: number) => `/settings/cii-cpar/panels/${panelId}/edit`;
export const membersCsvUrl = (panelId: number) => `/settings/cii-cpar/panels/${panelId}/members.csv`;

/**
 * Who may add a missing Practitioner ID: the reader, through a link to the practitioner, or
 * the administrators named here (a link the reader cannot open would only answer 403).
 */
export type PractitionerFixers = { canEdit: true } | { canEdit: false; names: string[] };

function AddPractitionerId({ id, fixers }: { id: number; fixers: PractitionerFixers }) {
  if (fixers.canEdit) return <a href={`/settings/practitioners/${id}/edit`}>Add the Practitioner ID</a>;
  if (fixers.names.length === 0) {
    return <span class="meta">No user can add it yet: someone needs the “Modify user permissions” permission.</span>;
  }
  return <span class="meta">Ask {fixers.names.join(', ')} to add it (it needs the “Modify user permissions” permission).</span>;
}

function Practitioners({ practitioners, fixers }: { practitioners: PanelOverview['practitioners']; fixers: PractitionerFixers }) {
  if (practitioners.length === 0) return <span class="error">No practitioner</span>;
  return (
    <ul class="practitioners" id="practitioners">
      {practitioners.map((p) => (
        <li>
          {p.name}{' '}
          {p.practitionerId
            ? <span class="meta">Practitioner ID {p.practitionerId}</span>
            : <><span class="flag error" data-flag="no-practitioner-id">No Practitioner ID recorded</span> <AddPractitionerId id={p.id} fixers={fixers} /></>}
        </li>
      ))}
    </ul>
  );
}

/** Whether the monthly run takes this panel at all, in plain words. */
function inRun(panel: PanelOverview): string {
  if (!panel.active) return 'No: the panel is inactive.';
  if (!panel.cparEnabled) return 'No: CPAR is not enabled for this panel.';
  return 'Yes: sent on the 15th of each month at 21:00 Mountain Time.';
}

/**
 * A panel at a glance: who it belongs to, whether it would pass now, and how many patients
 * each monthly submission carried. Counts only: no patient is named here.
 */
export function PanelPage({ panel, readiness, months, fixers, chrome }: {
  panel: PanelOverview; readiness: Judgement; months: MonthCount[]; fixers: PractitionerFixers; chrome: Chrome;
}) {
  const name = shortName(panel.name);
  return (
    <Layout title={name} chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR › <a href="/settings/cii-cpar/panels">Panels</a></p>
      <h1 id="panel-name" title={name === panel.name ? undefined : panel.name}>
        {name}
        {panel.cparEnabled ? <> <span class="badge badge-cpar">CPAR</span></> : null}
        {panel.active ? null : <> <span class="badge badge-inactive">Inactive</span></>}
      </h1>
      <ul class="panel-links" id="panel-links">
        <li><a href={membersUrl(panel.id)}>Members</a></li>
        <li><a href={editUrl(panel.id)}>Edit the panel</a></li>
        <li><a href={panelHistoryUrl(panel.id)}>Submission history</a></li>
        <li><a href={`/settings/cii-cpar/panels/${panel.id}/registry`}>Registry feedback</a></li>
        <li>
          <form method="post" action={membersCsvUrl(panel.id)} class="inline">
            <button type="submit" class="link">Export members (CSV)</button>
          </form>
        </li>
      </ul>
      <dl class="facts" id="panel-facts">
        <div><dt>CPAR panel number</dt><dd>{panel.panelNumber ?? 'None yet'}</dd></div>
        <div><dt>In the monthly run</dt><dd>{inRun(panel)}</dd></div>
        <div><dt>Practitioners</dt><dd><Practitioners practitioners={panel.practitioners} fixers={fixers} /></dd></div>
        <div>
          <dt>Failure notification recipient</dt>
          <dd>{panel.failureRecipient ?? <span class="flag error" data-flag="no-recipient">None: no one is told when a submission fails</span>}</dd>
        </div>
        <div><dt>Active members</dt><dd id="active-members">{panel.activeMembers}</dd></div>
      </dl>
      <section id="readiness">
        <h2>Ready to send now?</h2>
        <p class="meta">The panel checked against the CPAR rules as it stands now.</p>
        <Readiness panelId={panel.id} validation={readiness} />
      </section>
      <section id="monthly-counts">
        <h2>Patients per monthly submission</h2>
        <PatientCountChart months={months} />
        <p><a href={panelHistoryUrl(panel.id)}>Every submission of this panel</a></p>
      </section>
    </Layout>
  );
}
