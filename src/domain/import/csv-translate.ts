// A CSV panel list → the portal's clinical-record extract (the input of checkImport), so that
// it is checked and written by the very rules of the JSON and FHIR imports. Pure: what the
// database holds comes in as a `Directory`. Decisions:
// - A patient is matched by PHN (ULI): an existing patient keeps their key; a new one gets a
//   fresh key (`csv:<uuid>`), never their data. A PHN on several rows is one patient.
// - The file is the whole panel of every provider it names: members of those panels who are
//   not in it leave them (the preview lists them as removed). Other panels are untouched.
// - A panel keeps its name, number, practitioners and failure recipient.
// - A last visit date adds a visit with the row's practitioner; visits are never removed.
// - Gender and status words an EMR writes are read (Female, Male, Deceased…); a blank gender is
//   U (unknown); no status column, or a blank one, keeps a patient's status (new: active).
import type { Problem } from './import-check.ts';
import type { CsvProblem, CsvTable } from './csv-read.ts';
import { type DateFormat, type Field, type Mapping, toIsoDate } from './csv-mapping.ts';
import { Providers, type DirectoryPanel, type DirectoryPractitioner } from './csv-providers.ts';

export type Directory = {
  /** PHN → the patient holding it */
  patients: Map<string, { key: string; status: string }>;
  /** the active panels */
  panels: DirectoryPanel[];
  practitioners: DirectoryPractitioner[];
};

type Item = Record<string, unknown>;
export type CsvExtract = { patients: Item[]; visits: Item[]; panels: Item[] };
/** The line each extract record came from: `panels[i]` its first row, `members[i][j]` each member's. */
export type CsvOrigins = { patients: number[]; visits: number[]; panels: number[]; members: number[][] };
export type CsvTranslation = { extract: CsvExtract; origins: CsvOrigins; problems: CsvProblem[] };

const GENDERS: Record<string, string> = {
  f: 'F', female: 'F', woman: 'F', m: 'M', male: 'M', man: 'M',
  x: 'X', other: 'X', 'non-binary': 'X', nonbinary: 'X', 'another gender': 'X', u: 'U', unknown: 'U',
};
const STATUSES: Record<string, string> = {
  a: 'active', active: 'active', i: 'inactive', inactive: 'inactive', d: 'deceased', deceased: 'deceased',
  'moved away': 'moved_away', moved: 'moved_away', moved_away: 'moved_away', 'transferred out': 'moved_away',
};

export function translateCsv(table: CsvTable, mapping: Mapping, format: DateFormat, directory: Directory,
  newKey: () => string = () => `csv:${crypto.randomUUID()}`): CsvTranslation {
  const problems: CsvProblem[] = [];
  const providers = new Providers(directory.panels, directory.practitioners);
  const index = Object.fromEntries(Object.entries(mapping).map(([f, c]) => [f, c === null ? -1 : table.header.indexOf(c)])) as Record<Field, number>;
  const extract: CsvExtract = { patients: [], visits: [], panels: [] };
  const origins: CsvOrigins = { patients: [], visits: [], panels: [], members: [] };
  const panelAt = new Map<string, number>();
  const patientAt = new Map<string, { key: string; line: number; record: string }>();

  for (const { line, values } of table.rows) {
    const value = (field: Field) => (index[field] < 0 ? null : values[index[field]] ?? '');
    const problem = (field: Field, message: string) => {
      problems.push({ line, column: mapping[field], message });
      return '';
    };
    const date = (field: Field, required: boolean) => {
      const raw = value(field);
      if (raw === null) return null;
      if (raw === '') return required ? problem(field, 'required') : '';
      return toIsoDate(raw, format) ?? problem(field, `must be a date written ${format === 'YYYY-MM-DD' ? format : `${format} or YYYY-MM-DD`}`);
    };
    const word = (field: Field, words: Record<string, string>, blank: string, allowed: string) => {
      const raw = (value(field) ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
      if (raw === '') return blank;
      return Object.hasOwn(words, raw) ? words[raw] : problem(field, `must be one of ${allowed}`);
    };

    const provider = (value('provider') ?? '').trim();
    const match = provider === '' ? { ok: false as const, message: 'required' } : providers.match(provider);
    if (!match.ok) problem('provider', match.message);

    const uli = (value('uli') ?? '').replace(/[\s-]/g, '');
    const existing = directory.patients.get(uli);
    const patient = {
      key: patientAt.get(uli)?.key ?? existing?.key ?? newKey(), uli,
      lastName: value('lastName') ?? '', firstName: value('firstName') ?? '', birthDate: date('birthDate', true),
      gender: word('gender', GENDERS, 'U', 'F, M, X, U, Female, Male, Other, Unknown'),
      status: word('status', STATUSES, existing?.status ?? 'active', 'Active, Inactive, Deceased, Moved away'),
    };
    const record = JSON.stringify(patient);
    const first = uli ? patientAt.get(uli) : undefined;
    if (first && first.record !== record) problem('uli', `the same PHN as line ${first.line}, with other details`);
    if (!first) {
      if (uli) patientAt.set(uli, { key: patient.key, line, record });
      extract.patients.push(patient);
      origins.patients.push(line);
    }

    const confirmedOn = date('confirmedOn', false);
    const lastVisit = date('lastVisit', false);
    if (!match.ok) continue;
    let at = panelAt.get(match.panel.key);
    if (at === undefined) {
      at = extract.panels.length;
      panelAt.set(match.panel.key, at);
      const { key, name, panelNumber, cparEnabled, failureRecipient, practitioners } = match.panel;
      extract.panels.push({ key, name, practitioners, panelNumber, cparEnabled, failureRecipient, members: [] });
      origins.panels.push(line);
      origins.members.push([]);
    }
    (extract.panels[at].members as Item[]).push({ patient: patient.key, confirmedOn });
    origins.members[at].push(line);
    if (lastVisit) {
      extract.visits.push({ patient: patient.key, practitioner: match.practitioner, date: lastVisit });
      origins.visits.push(line);
    }
  }
  return { extract, origins, problems };
}

const PATH = /^\$\.(patients|visits|panels)\[(\d+)\](?:\.(\w+)(?:\[(\d+)\](?:\.(\w+))?)?)?$/;
const COLUMN_OF: Record<string, Field> = {
  uli: 'uli', lastName: 'lastName', firstName: 'firstName', birthDate: 'birthDate', gender: 'gender', status: 'status',
  patient: 'uli', confirmedOn: 'confirmedOn', date: 'lastVisit', practitioner: 'provider',
  practitioners: 'provider', panelNumber: 'provider', failureRecipient: 'provider', name: 'provider', key: 'provider',
};

/** Where an extract path came from in the CSV file: its line and column. */
function placeOf(path: string, origins: CsvOrigins, mapping: Mapping): { line: number; column: string | null } | null {
  const m = PATH.exec(path);
  if (!m) return null;
  const [, list, i, field, j, sub] = m;
  const member = field === 'members' && j !== undefined;
  const line = member ? origins.members[Number(i)]?.[Number(j)] : origins[list as 'patients' | 'visits' | 'panels'][Number(i)];
  if (line === undefined) return null;
  // A member's fault is in its PHN or confirmation date; a panel's, in the provider that named it.
  const name = member ? sub ?? 'patient' : field;
  const target = name ? COLUMN_OF[name] : undefined;
  return { line, column: target ? mapping[target] : null };
}

/** The import's problems (or warnings) as lines and columns of the CSV file; no value is quoted. */
export function pointBackCsv(problems: Problem[], origins: CsvOrigins, mapping: Mapping): CsvProblem[] {
  return problems.map((p) => {
    const place = placeOf(p.path, origins, mapping) ?? { line: null, column: null };
    const message = p.message
      .replace(/ "[^"]*"$/, '')
      .replace(/\$[.\w[\]"]+/g, (path) => {
        const other = placeOf(path, origins, mapping);
        return other ? `line ${other.line}` : path;
      });
    return { ...place, message };
  });
}

/** Where a CSV problem is: `line 4, "Birth Date"`, or `the file`. */
export function csvPlace(p: CsvProblem): string {
  return [p.line === null ? null : `line ${p.line}`, p.column === null ? null : `"${p.column}"`].filter(Boolean).join(', ') || 'the file';
}

/** A CSV problem in one line of text: `line 4, "Birth Date": must be a date…` (a problem of the whole file: its message). */
export const describeCsvProblem = (p: CsvProblem): string => (p.line === null && p.column === null ? p.message : `${csvPlace(p)}: ${p.message}`);
