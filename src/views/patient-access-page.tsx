import type { AccessReport, PatientAccess } from '../domain/audit/patient-access.ts';
import { AuditObject, entryWords, permissionWords } from './audit-words.tsx';
import { Document, Layout, type Chrome } from './layout.tsx';

export const REPORT_PATH = '/settings/audit-log/patient-access';

/** A send to Netcare, in words: which submission carried the patient, and what became of it. */
export function disclosureWords(a: PatientAccess): string {
  const d = a.disclosure;
  if (!d) return '';
  return [`Disclosed to Alberta Netcare (CPAR) in submission ${d.submissionId}`, d.panelName && `of panel ${d.panelName}`,
    d.status && `, ${d.status}`, d.netcareReference && `, Netcare reference ${d.netcareReference}`].filter(Boolean).join(' ').replaceAll(' ,', ',');
}

function AccessTable({ report }: { report: AccessReport }) {
  if (report.accesses.length === 0) return <p class="empty">The audit trail names this ULI in no entry.</p>;
  return (
    <div class="table-scroll" role="region" aria-label="Accesses" tabindex={0}>
      <table id="accesses">
        <thead>
          <tr>
            <th scope="col">When (Edmonton)</th><th scope="col">Who</th><th scope="col">Role (permissions)</th>
            <th scope="col">What</th><th scope="col">Screen</th><th scope="col">About</th>
          </tr>
        </thead>
        <tbody>
          {report.accesses.map((a) => (
            <tr id={`access-${a.id}`} class={a.disclosure ? 'disclosure' : undefined}>
              <td><time datetime={a.at.toISOString()}>{a.atEdmonton}</time></td>
              <td>{a.username ?? '—'}</td>
              <td>{permissionWords(a.permissions)}</td>
              <td data-action={a.action}>{entryWords(a)}</td>
              <td><code>{a.route}</code></td>
              <td><AuditObject row={a} />{a.disclosure ? <div class="disclosed">{disclosureWords(a)}</div> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Summary({ report }: { report: AccessReport }) {
  const sends = report.accesses.filter((a) => a.disclosure).length;
  return (
    <dl class="report-summary">
      <dt>Patient</dt><dd>{report.patient ? `${report.patient.name}, born ${report.patient.birthDate}` : 'No patient of the clinic has this ULI now'}</dd>
      <dt>ULI</dt><dd>{report.uli}</dd>
      <dt>Accesses</dt><dd>{`${report.accesses.length}, of which ${sends} disclosure${sends === 1 ? '' : 's'} to Netcare`}</dd>
    </dl>
  );
}

/** The report's other forms: the ULI goes in the POST body, never in a URL. */
function ReportForm({ uli, format, label }: { uli: string; format: 'print' | 'csv'; label: string }) {
  return (
    <form method="post" action={REPORT_PATH} class="inline" target={format === 'print' ? '_blank' : undefined}>
      <input type="hidden" name="uli" value={uli} />
      <input type="hidden" name="format" value={format} />
      <button type="submit">{label}</button>
    </form>
  );
}

type Props = { chrome: Chrome; uli?: string; problem?: string; report?: AccessReport };

export function PatientAccessPage({ chrome, uli, problem, report }: Props) {
  return (
    <Layout title="Patient access report" chrome={chrome}>
      <h1>Patient access report</h1>
      <p class="lead">
        Every access to one patient’s information recorded in the audit trail: who, with which permissions, when, what and on
        which screen, and each submission to Alberta Netcare that contained the patient. What the clinic gives a patient who
        asks who accessed their record. Producing the report is itself recorded.
      </p>
      <form method="post" action={REPORT_PATH} id="report-form" class="filters">
        <div class="field">
          <label for="report-uli">Patient ULI</label>
          <input id="report-uli" name="uli" type="text" inputmode="numeric" autocomplete="off" value={uli ?? ''}
            aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? 'report-uli-error' : undefined} />
          {problem ? <span class="error" id="report-uli-error">{problem}</span> : null}
        </div>
        <button type="submit">Show the report</button>
      </form>
      {report ? (
        <section aria-labelledby="report-heading">
          <h2 id="report-heading">Accesses to ULI {report.uli}</h2>
          <Summary report={report} />
          <div class="report-actions">
            <ReportForm uli={report.uli} format="print" label="Printable view" />
            <ReportForm uli={report.uli} format="csv" label="Download CSV" />
          </div>
          <AccessTable report={report} />
        </section>
      ) : null}
    </Layout>
  );
}

/** The report on its own, without the portal's menus: for printing and handing over. */
export function PatientAccessPrint({ report, producedAt, producedBy }: { report: AccessReport; producedAt: string; producedBy: string }) {
  return (
    <Document title={`Patient access report ${report.uli}`}>
      <main id="main" class="print-report">
        <h1>Patient access report</h1>
        <p class="meta">{`Produced ${producedAt} (Edmonton) by ${producedBy}. Print it with your browser’s Print command.`}</p>
        <Summary report={report} />
        <AccessTable report={report} />
      </main>
    </Document>
  );
}
