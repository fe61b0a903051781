import type { Problem } from '../domain/import/import.ts';
import type { Section } from '../domain/import/import-preview.ts';
import type { StoredPreview, UploadPreview } from '../domain/import/import-previews.ts';
import { formatEdmontonDateTime } from '../domain/time/edmonton.ts';
import { Layout, type Chrome } from './layout.tsx';

export const importUrl = '/settings/cii-cpar/import';
export const importPreviewUrl = (token: string) => `${importUrl}/${token}`;

const n = (count: number) => count.toLocaleString('en-CA');

function Problems({ problems }: { problems: Problem[] }) {
  if (!problems.length) return null;
  return (
    <section id="import-problems" role="alert" aria-labelledby="import-problems-heading">
      <h2 id="import-problems-heading">Nothing was imported: {n(problems.length)} problem{problems.length === 1 ? '' : 's'} in the file</h2>
      <p>Each problem names where it is: a JSON path in the extract, a FHIR file, its line or entry, and the element, or a CSV file's line and column. Correct the files in the clinical record's export and upload them again.</p>
      <ul class="problems">{problems.slice(0, 100).map((p) => <li><code>{p.path}</code>: {p.message}</li>)}</ul>
      {problems.length > 100 ? <p class="meta">…and {n(problems.length - 100)} more.</p> : null}
    </section>
  );
}

/** Upload a clinical-record extract; nothing is written before the preview's Apply. */
export function ImportPage({ problems = [], fileName, chrome }: { problems?: Problem[]; fileName?: string; chrome: Chrome }) {
  return (
    <Layout title="Import" chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR</p>
      <h1>Import from the clinical record</h1>
      <p>
        Upload the clinical record's extract: the portal's JSON format (the README describes it), FHIR R4 — a Bundle
        (.json) or the Bulk Data NDJSON files of an export (.ndjson, several at once) — or a panel list from an EMR report
        (CSV: one row per patient; you check its columns before the preview). Up to 20 MB in all, about 50,000 patients.
        You see what would change first; nothing is written until you apply it, and then all of it or nothing.
      </p>
      {fileName ? <p class="meta">File: {fileName}</p> : null}
      <Problems problems={problems} />
      <form method="post" action={importUrl} enctype="multipart/form-data" class="stack" id="import-form">
        <label for="import-file">Extract file, FHIR files or a CSV panel list</label>
        <input id="import-file" type="file" name="file" multiple accept=".json,.ndjson,.csv,application/json,application/fhir+json,application/x-ndjson,text/csv" required />
        <p><button type="submit">Preview the import</button></p>
      </form>
    </Layout>
  );
}

function Rows<T>({ id, title, section, columns, row }: {
  id: string; title: string; section: Section<T>; columns: string[]; row: (item: T) => unknown[];
}) {
  return (
    <section id={id} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title} ({n(section.count)})</h2>
      {section.count === 0 ? <p class="empty">None.</p> : (
        <>
          <table>
            <thead><tr>{columns.map((c) => <th scope="col">{c}</th>)}</tr></thead>
            <tbody>{section.first.map((item) => <tr>{row(item).map((cell) => <td>{cell}</td>)}</tr>)}</tbody>
          </table>
          {section.count > section.first.length ? <p class="meta">The first {section.first.length} of {n(section.count)}.</p> : null}
        </>
      )}
    </section>
  );
}

function Preview({ preview, token }: { preview: UploadPreview; token: string }) {
  return (
    <>
      <dl class="facts" id="import-summary">
        <div><dt>Panels new or changed</dt><dd>{n(preview.panels.count)}</dd></div>
        <div><dt>Members added</dt><dd>{n(preview.membersAdded.count)}</dd></div>
        <div><dt>Members removed</dt><dd>{n(preview.membersRemoved.count)}</dd></div>
        <div><dt>Confirmation dates changed</dt><dd>{n(preview.confirmations.count)}</dd></div>
        <div><dt>New patients</dt><dd>{n(preview.patients.count)}</dd></div>
        <div><dt>Patients whose demographics changed</dt><dd>{n(preview.demographics.count)}</dd></div>
        <div><dt>Practitioners new / changed</dt><dd>{n(preview.practitioners.created)} / {n(preview.practitioners.changed)}</dd></div>
        <div><dt>Visits added</dt><dd>{n(preview.visits)}</dd></div>
      </dl>
      <ApplyOrCancel token={token} />
      {preview.format === 'fhir' ? <FhirNotes preview={preview} /> : null}
      {preview.warnings.length ? (
        <section id="import-warnings" aria-labelledby="import-warnings-heading">
          <h2 id="import-warnings-heading">Blank values stored as not recorded ({n(preview.warnings.length)})</h2>
          <p class="meta">Readiness names what each one blocks after the import.</p>
          <ul>{preview.warnings.slice(0, 20).map((w) => <li><code>{w.path}</code></li>)}</ul>
        </section>
      ) : null}
      <Rows id="preview-panels" title="Panels new or changed" section={preview.panels} columns={['Panel', 'Change']}
        row={(p) => [p.name, p.change === 'new' ? 'New' : 'Changed']} />
      <Rows id="preview-added" title="Members added" section={preview.membersAdded} columns={['Panel', 'Patient']} row={(m) => [m.panel, m.patient]} />
      <Rows id="preview-removed" title="Members removed" section={preview.membersRemoved} columns={['Panel', 'Patient']} row={(m) => [m.panel, m.patient]} />
      <Rows id="preview-confirmations" title="Confirmation dates changed" section={preview.confirmations} columns={['Panel', 'Patient', 'From', 'To']}
        row={(c) => [c.panel, c.patient, c.from ?? 'none', c.to ?? 'none']} />
      <Rows id="preview-patients" title="New patients" section={preview.patients} columns={['Patient']} row={(p) => [p.patient]} />
      <Rows id="preview-demographics" title="Demographics changed" section={preview.demographics} columns={['Patient', 'Fields']}
        row={(d) => [d.patient, d.fields.join(', ')]} />
    </>
  );
}

/** What a FHIR import does differently: no failure recipient in a Group, resources it does not read. */
function FhirNotes({ preview }: { preview: UploadPreview }) {
  const skipped = Object.entries(preview.skipped);
  return (
    <section id="import-fhir" aria-labelledby="import-fhir-heading">
      <h2 id="import-fhir-heading">Read as FHIR R4</h2>
      <p>
        A FHIR Group names no failure recipient: panels already in the portal keep theirs, and a new panel gets none until
        someone chooses one on its edit page (its readiness says so).
      </p>
      {skipped.length ? (
        <p id="import-skipped">
          Not imported ({n(skipped.reduce((sum, [, k]) => sum + k, 0))} resources): {skipped.map(([what, k]) => `${what} ${n(k)}`).join(', ')}.
        </p>
      ) : null}
    </section>
  );
}

function ApplyOrCancel({ token }: { token: string }) {
  return (
    <div class="actions-row">
      <form method="post" action={`${importPreviewUrl(token)}/apply`} class="inline">
        <button type="submit">Apply the import</button>
      </form>{' '}
      <form method="post" action={`${importPreviewUrl(token)}/cancel`} class="inline">
        <button type="submit" class="secondary">Cancel</button>
      </form>
    </div>
  );
}

export function ImportPreviewPage({ stored, preview, problems, message, chrome }: {
  stored: StoredPreview; preview: UploadPreview | null; problems: Problem[]; message?: string; chrome: Chrome;
}) {
  return (
    <Layout title={`Import of ${stored.fileName}`} chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR › <a href={importUrl}>Import</a></p>
      <h1>Import of {stored.fileName}</h1>
      <p class="meta">Uploaded {formatEdmontonDateTime(stored.createdAt)}.</p>
      {message ? <p class="error" role="alert" id="import-message">{message}</p> : null}
      {stored.state === 'applied' ? (
        <p class="notice" role="status" id="import-applied">
          Applied{stored.outcome ? `: ${n(stored.outcome.panelMembers.created)} members added, ${n(stored.outcome.panelMembers.removed)} removed, `
            + `${n(stored.outcome.panelMembers.updated)} confirmation dates changed, ${n(stored.outcome.patients.created)} patients added, `
            + `${n(stored.outcome.patients.updated)} updated.` : '.'}
        </p>
      ) : stored.state === 'cancelled' ? (
        <p class="notice" id="import-cancelled">Cancelled: nothing was imported and the file was discarded.</p>
      ) : (
        <>
          <Problems problems={problems} />
          {preview ? (
            <>
              <p>This is what applying the file would change now. Nothing has been written yet.</p>
              <Preview preview={preview} token={stored.token} />
              <ApplyOrCancel token={stored.token} />
            </>
          ) : null}
        </>
      )}
    </Layout>
  );
}
