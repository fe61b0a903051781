import type { SubmissionRow } from '../domain/submissions.ts';
import type { Validation } from '../domain/validation.ts';
import { Layout, type Chrome } from './layout.tsx';
import { SubmissionRowView } from './submission-row.tsx';

export function SubmissionsPage({ rows, readiness, now, chrome, message }: {
  rows: SubmissionRow[]; readiness: Map<number, Validation>; now: Date; chrome: Chrome;
  message?: { panelId: number; text: string };
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
      <table id="submissions">
        <caption class="visually-hidden">Last submission of each CPAR panel</caption>
        <thead>
          <tr>
            <th scope="col">Panel</th>
            <th scope="col">Created</th>
            <th scope="col" class="num">Patients</th>
            <th scope="col">Status</th>
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
    </Layout>
  );
}
