import type { CsvProblem } from '../domain/import/csv-read.ts';
import type { MappingStep } from '../domain/import/csv-uploads.ts';
import { DATE_FIELDS, FIELD_LABELS, FIELDS, REQUIRED, type DateFormat, type Field } from '../domain/import/csv-mapping.ts';
import { describeCsvProblem } from '../domain/import/csv-translate.ts';
import { importUrl } from './import-page.tsx';
import { Layout, type Chrome } from './layout.tsx';

export const csvMappingUrl = (token: string) => `${importUrl}/csv/${token}`;

const SAMPLE_ROWS = 3;

const HINTS: Partial<Record<Field, string>> = {
  provider: 'an active panel’s number, a Practitioner ID, or the practitioner’s name (their one CPAR panel)',
  confirmedOn: 'blank: not recorded',
  lastVisit: 'optional: adds a visit',
  status: 'optional: without it, patients keep their status',
};

function Problems({ problems }: { problems: CsvProblem[] }) {
  if (!problems.length) return null;
  return (
    <section id="import-problems" role="alert" aria-labelledby="import-problems-heading">
      <h2 id="import-problems-heading">Nothing is ready to preview: {problems.length} problem{problems.length === 1 ? '' : 's'}</h2>
      <p>Each problem names its line in the file and its column. Correct the mapping below, or the file in the clinical record, and try again.</p>
      <ul class="problems">{problems.slice(0, 100).map((p) => <li>{describeCsvProblem(p)}</li>)}</ul>
      {problems.length > 100 ? <p class="meta">…and {problems.length - 100} more.</p> : null}
    </section>
  );
}

function DateQuestion({ step, chosen }: { step: MappingStep; chosen?: DateFormat }) {
  const { dates } = step;
  if (dates.settled) {
    return <p id="csv-dates" class="meta">Dates are read as {dates.format}{dates.format === 'YYYY-MM-DD' ? '.' : ': a date in the file has a part over 12, which settles it.'}</p>;
  }
  const columns = 'columns' in dates ? dates.columns : [...new Set(dates.contradiction.map((p) => p.column))];
  return (
    <fieldset id="csv-dates">
      <legend>How are the dates in {columns.map((c) => `“${c}”`).join(', ')} written?</legend>
      <p class="meta">
        {'columns' in dates
          ? 'Every such date has a day and a month of 12 or less, so the file does not say: 03/04/2026 could be 3 April or March 4.'
          : `Line ${dates.contradiction[0].line} is written day first and line ${dates.contradiction[1].line} month first: dates not in the format you choose are reported by line.`}
      </p>
      <label class="choice"><input type="radio" name="dates" value="DD/MM/YYYY" required checked={chosen === 'DD/MM/YYYY'} /> Day first: DD/MM/YYYY</label>
      <label class="choice"><input type="radio" name="dates" value="MM/DD/YYYY" required checked={chosen === 'MM/DD/YYYY'} /> Month first: MM/DD/YYYY</label>
    </fieldset>
  );
}

/** Step 2 of a CSV import: the guessed mapping as a form, the date question when the file leaves it open, and the first rows. */
export function ImportMappingPage({ step, problems = [], chosenDates, chrome }: {
  step: MappingStep; problems?: CsvProblem[]; chosenDates?: DateFormat; chrome: Chrome;
}) {
  const { table, mapping } = step;
  return (
    <Layout title={`Columns of ${step.fileName}`} chrome={chrome}>
      <p class="breadcrumb">Settings › CII/CPAR › <a href={importUrl}>Import</a></p>
      <h1>Columns of {step.fileName}</h1>
      <p class="meta">Step 2 of 3: check which column holds what. Nothing has been written.</p>
      <p>
        The file is the whole panel of each provider it names: patients on those panels who are not in it
        leave them (the preview lists them as removed). Patients are matched by PHN.
      </p>
      <Problems problems={problems} />
      <form method="post" action={csvMappingUrl(step.token)} class="stack" id="csv-mapping">
        <table id="csv-fields">
          <caption class="visually-hidden">Field and the file's column that holds it</caption>
          <thead><tr><th scope="col">Field</th><th scope="col">Column in the file</th></tr></thead>
          <tbody>
            {FIELDS.map((field) => (
              <tr>
                <th scope="row">
                  <label for={`map-${field}`}>{FIELD_LABELS[field]}</label>
                  {REQUIRED.includes(field) ? <span class="meta"> (required)</span> : null}
                  {HINTS[field] ? <span class="meta" id={`map-${field}-hint`}><br />{HINTS[field]}</span> : null}
                  {DATE_FIELDS.includes(field) ? <span class="visually-hidden"> (a date)</span> : null}
                </th>
                <td>
                  <select id={`map-${field}`} name={`map.${field}`} aria-describedby={HINTS[field] ? `map-${field}-hint` : undefined}>
                    <option value="" selected={mapping[field] === null}>— not in the file —</option>
                    {table.header.map((column) => <option value={column} selected={mapping[field] === column}>{column}</option>)}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <DateQuestion step={step} chosen={chosenDates} />
        <p><button type="submit">Preview the import</button></p>
      </form>
      <form method="post" action={`${csvMappingUrl(step.token)}/cancel`} class="inline">
        <button type="submit" class="secondary">Cancel</button>
      </form>
      <section id="csv-sample" aria-labelledby="csv-sample-heading">
        <h2 id="csv-sample-heading">The first rows of the file ({table.rows.length} in all)</h2>
        <div class="table-scroll" role="region" aria-label="The first rows of the file" tabindex={0}>
          <table>
            <thead><tr><th scope="col">Line</th>{table.header.map((column) => <th scope="col">{column}</th>)}</tr></thead>
            <tbody>
              {table.rows.slice(0, SAMPLE_ROWS).map((row) => (
                <tr><td>{row.line}</td>{row.values.map((value) => <td>{value}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Layout>
  );
}
