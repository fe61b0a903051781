import type { Child } from 'hono/jsx';
import type { Paged, PanelProblem, PatientProblems, SubmissionFacts } from '../domain/submissions/submission-history.ts';
import { AUTOMATIC_RETRIES, type ProblemReason } from '../domain/submissions/failures.ts';
import type { RuleReason } from '../domain/panels/validation.ts';
import { formatEdmontonDateTime } from '../domain/time/edmonton.ts';
import { UNANSWERED } from '../domain/submissions/send-outcome.ts';
import { fixUrl } from './readiness.tsx';
import { Layout, type Chrome } from './layout.tsx';
import { ScrollTable } from './scroll-table.tsx';

export const submissionUrl = (submissionId: number) => `/settings/cii-cpar/submissions/${submissionId}`;
export const panelUrl = (panelId: number) => `/settings/cii-cpar/panels/${panelId}`;
export const panelHistoryUrl = (panelId: number) => `/settings/cii-cpar/panels/${panelId}/submissions`;

const NAME_SHOWN = 120;

/** A panel name short enough for a heading (a name over 255 characters is itself a failure reason). */
export function shortName(name: string): string {
  const chars = [...name];
  return chars.length > NAME_SHOWN ? `${chars.slice(0, NAME_SHOWN).join('')}…` : name;
}

/** Each recorded problem in a clinic user's words. */
export const REASON_WORDS: Record<ProblemReason, string> = {
  name_too_long: 'Panel name longer than 255 characters',
  practitioner_without_id: 'Practitioner without a Practitioner ID',
  no_patients: 'No patients assigned',
  no_last_visit: 'No last visit date',
  no_confirmation_date: 'No confirmation date for this panel',
  date_in_future: 'Birth date or confirmation date in the future',
  netcare_rejected: 'Rejected by Netcare',
  netcare_unreachable: 'Netcare could not be reached',
  netcare_unconfirmed: 'Netcare did not confirm it in time',
  netcare_error: 'Netcare answered with an error',
  message_check: 'Not sent: the panel failed the portal’s own check',
};

const RULES: ProblemReason[] = ['name_too_long', 'practitioner_without_id', 'no_patients', 'no_last_visit', 'no_confirmation_date', 'date_in_future'];
const isRule = (reason: ProblemReason): reason is RuleReason => RULES.includes(reason);

export function When({ at }: { at: Date | null }) {
  return at ? <time datetime={at.toISOString()}>{formatEdmontonDateTime(at)}</time> : null;
}

export function StatusBadge({ status }: { status: SubmissionFacts['status'] }) {
  return <span class={`badge badge-${status.toLowerCase()}`}>{status}</span>;
}

export function triggerText(s: Pick<SubmissionFacts, 'trigger' | 'triggeredBy' | 'automaticRetry'>): string {
  if (s.automaticRetry !== null) return `Automatic retry ${s.automaticRetry} of ${AUTOMATIC_RETRIES}`;
  return s.trigger === 'scheduled' ? 'Scheduled (monthly run)' : `Manual by ${s.triggeredBy ?? 'a removed user'}`;
}

/** Only a failure notifies anyone: the answer is empty for other states. */
export function notifiedText(s: Pick<SubmissionFacts, 'status' | 'recipientNotified'>): string {
  if (s.status !== 'Failed' || s.recipientNotified === null) return '';
  return s.recipientNotified ? 'Yes' : 'No: the panel has no failure notification recipient';
}

/** When the submission reached each state it went through. */
export function Progress({ s }: { s: SubmissionFacts }) {
  const states: [string, Date | null][] = [['Pending', s.pendingAt], ['Submitted', s.submittedAt], ['Failed', s.failedAt]];
  return (
    <ul class="progress">
      {states.filter(([, at]) => at).map(([label, at]) => <li data-state={label.toLowerCase()}>{label} <When at={at} /></li>)}
    </ul>
  );
}

/** Previous / next links that work without JavaScript. */
export function Pager({ page, pageCount, href, label }: { page: number; pageCount: number; href: (page: number) => string; label: string }) {
  if (pageCount <= 1) return null;
  return (
    <nav class="pager" aria-label={label}>
      {page > 1 ? <a rel="prev" href={href(page - 1)}>← Previous</a> : null}
      <span aria-current="page">Page {page} of {pageCount}</span>
      {page < pageCount ? <a rel="next" href={href(page + 1)}>Next →</a> : null}
    </nav>
  );
}

function Fact({ name, children }: { name: string; children?: Child }) {
  return <div><dt>{name}</dt><dd>{children}</dd></div>;
}

function Facts({ s }: { s: SubmissionFacts }) {
  return (
    <dl class="facts" id="submission-facts">
      <Fact name="Panel"><a href={panelUrl(s.panelId)}>{shortName(s.panelName)}</a> <span class="panel-number">{s.panelNumber}</span></Fact>
      <Fact name="Created"><When at={s.createdAt} /></Fact>
      <Fact name="Trigger">{triggerText(s)}</Fact>
      <Fact name="Patients">{s.patientCount ?? 'Not extracted'}</Fact>
      <Fact name="Status"><StatusBadge status={s.status} /></Fact>
      <Fact name="Progress"><Progress s={s} /></Fact>
      <Fact name="Netcare reference">{s.netcareReference ?? (s.status === 'Pending' ? UNANSWERED : 'None')}</Fact>
      {s.briefError ? <Fact name="Error"><span class="error">{s.briefError}</span></Fact> : null}
      {s.status === 'Failed' ? <Fact name="Failure recipient notified">{notifiedText(s)}</Fact> : null}
    </dl>
  );
}

function PanelProblems({ panelId, problems }: { panelId: number; problems: PanelProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <section id="panel-problems">
      <h2>Problems with the panel</h2>
      <ul class="problems">
        {problems.map((p) => (
          <li data-reason={p.reason}>
            <strong>{REASON_WORDS[p.reason]}</strong>
            {p.detail ? `: ${p.detail}` : null}
            {p.detail === null && (p.reason === 'no_last_visit' || p.reason === 'no_confirmation_date' || p.reason === 'date_in_future')
              ? ` (${p.count} ${p.count === 1 ? 'patient' : 'patients'} since removed from the clinical record)` : null}
            {isRule(p.reason) ? <> <a href={fixUrl(panelId, p.reason)}>Fix</a></> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function PatientProblemsTable({ s, patients }: { s: SubmissionFacts; patients: Paged<PatientProblems> }) {
  if (patients.total === 0) return null;
  return (
    <section id="patient-problems">
      <h2>Patients to fix ({patients.total})</h2>
      <p class="meta">As recorded when the submission failed. Each problem links to the panel’s members, where it is fixed.</p>
      <ScrollTable label="Patients with problems">
        <table id="patient-problems-table">
          <thead><tr><th scope="col">Patient</th><th scope="col">ULI</th><th scope="col">Problems</th></tr></thead>
          <tbody>
            {patients.items.map((p) => (
              <tr id={`problem-patient-${p.patientId}`}>
                <th scope="row">{p.lastName}, {p.firstName}</th>
                <td class="uli">{p.uli}</td>
                <td>
                  <ul class="reasons">
                    {p.reasons.map((reason) => (
                      <li data-reason={reason}>
                        {isRule(reason) ? <a href={fixUrl(s.panelId, reason)}>{REASON_WORDS[reason]}</a> : REASON_WORDS[reason]}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <Pager page={patients.page} pageCount={patients.pageCount} label="Pages of patients"
        href={(page) => `${submissionUrl(s.id)}?page=${page}#patient-problems`} />
    </section>
  );
}

/** One submission: its facts, then what went wrong, panel first and patient by patient. */
export function SubmissionPage({ submission: s, problems, chrome }: {
  submission: SubmissionFacts; problems: { panel: PanelProblem[]; patients: Paged<PatientProblems> }; chrome: Chrome;
}) {
  const none = problems.panel.length === 0 && problems.patients.total === 0;
  return (
    <Layout title={`Submission of ${shortName(s.panelName)}`} chrome={chrome}>
      <p class="breadcrumb">
        Settings › CII/CPAR › <a href="/settings/cii-cpar/submissions">Submissions</a> ›{' '}
        <a href={panelUrl(s.panelId)}>{shortName(s.panelName)}</a> › <a href={panelHistoryUrl(s.panelId)}>History</a>
      </p>
      <h1>Submission created {formatEdmontonDateTime(s.createdAt)}</h1>
      <Facts s={s} />
      <PanelProblems panelId={s.panelId} problems={problems.panel} />
      <PatientProblemsTable s={s} patients={problems.patients} />
      {none ? <p class="empty" id="no-problems">No problems were recorded for this submission.</p> : null}
      {!none ? (
        <p>Fixed something since? The <a href={panelUrl(s.panelId)}>panel’s overview</a> checks it against the rules now.</p>
      ) : null}
    </Layout>
  );
}
