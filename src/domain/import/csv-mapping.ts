// Which column of a CSV panel list holds which field, and how its dates are written. The
// mapping is guessed from the header and always shown for the user to correct; the date
// format is read from the dates themselves and asked when they do not settle it — a file
// whose every slashed date has both parts ≤ 12 could be either, and is never guessed.
import type { CsvProblem, CsvRow } from './csv-read.ts';

export const FIELDS = ['uli', 'lastName', 'firstName', 'birthDate', 'gender', 'provider', 'confirmedOn', 'lastVisit', 'status'] as const;
export type Field = (typeof FIELDS)[number];
/** field → the file's column name, or null: not in the file */
export type Mapping = Record<Field, string | null>;

// The confirmation date too: without it, every member's date would be cleared.
export const REQUIRED: readonly Field[] = ['uli', 'lastName', 'firstName', 'birthDate', 'gender', 'provider', 'confirmedOn'];
export const DATE_FIELDS: readonly Field[] = ['birthDate', 'confirmedOn', 'lastVisit'];

export const FIELD_LABELS: Record<Field, string> = {
  uli: 'PHN (ULI)', lastName: 'Last name', firstName: 'First name', birthDate: 'Birth date', gender: 'Gender',
  provider: 'Primary provider', confirmedOn: 'Confirmation date', lastVisit: 'Last visit date', status: 'Status',
};

// Header names EMR reports use, compared lower-case with everything but letters and digits dropped.
const NAMES: Record<Field, string[]> = {
  uli: ['phn', 'uli', 'ahcip', 'ahcipnumber', 'healthnumber', 'personalhealthnumber', 'healthcardnumber', 'albertahealthnumber', 'hcn', 'phnuli'],
  lastName: ['lastname', 'surname', 'familyname', 'last', 'patientlastname'],
  firstName: ['firstname', 'givenname', 'first', 'patientfirstname'],
  birthDate: ['birthdate', 'dateofbirth', 'dob', 'birthday', 'birthdt'],
  gender: ['gender', 'sex'],
  provider: ['primaryprovider', 'provider', 'primaryphysician', 'physician', 'familyphysician', 'mrp', 'doctor', 'practitioner', 'primarycareprovider'],
  confirmedOn: ['confirmationdate', 'confirmedon', 'confirmed', 'dateconfirmed', 'attachmentdate', 'panelconfirmationdate', 'confirmationdt'],
  lastVisit: ['lastvisitdate', 'lastvisit', 'lastvisitdt', 'lastappointment', 'lastseen', 'lastencounter', 'lastencounterdate'],
  status: ['status', 'patientstatus'],
};

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The guessed mapping: a column whose name is one of a field's known names; each column used once. */
export function guessMapping(header: string[]): Mapping {
  const mapping = Object.fromEntries(FIELDS.map((f) => [f, null])) as Mapping;
  const used = new Set<string>();
  for (const field of FIELDS) {
    const column = header.find((h) => !used.has(h) && NAMES[field].includes(normalize(h)));
    if (column !== undefined) {
      mapping[field] = column;
      used.add(column);
    }
  }
  return mapping;
}

/** What is wrong with a mapping as chosen: a required field without a column, a column twice, a column not in the file. */
export function checkMapping(mapping: Mapping, header: string[]): CsvProblem[] {
  const problems: CsvProblem[] = [];
  const seen = new Map<string, Field>();
  for (const field of FIELDS) {
    const column = mapping[field];
    if (column === null) {
      if (REQUIRED.includes(field)) problems.push({ line: null, column: null, message: `${FIELD_LABELS[field]}: choose the column that holds it` });
      continue;
    }
    if (!header.includes(column)) problems.push({ line: null, column, message: `${FIELD_LABELS[field]}: the file has no such column` });
    const other = seen.get(column);
    if (other) problems.push({ line: null, column, message: `${FIELD_LABELS[field]}: this column is already ${FIELD_LABELS[other]}` });
    seen.set(column, field);
  }
  return problems;
}

export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];
export const isDateFormat = (value: unknown): value is DateFormat => (DATE_FORMATS as readonly unknown[]).includes(value);

const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export type DateReading =
  | { settled: true; format: DateFormat }
  /** the columns whose slashed dates could be read either way */
  | { settled: false; columns: string[] }
  /** slashed dates read only one way in one place and only the other way in another */
  | { settled: false; contradiction: CsvProblem[] };

/**
 * How the file writes its dates, from the values in its date columns: one with a first part
 * over 12 is DD/MM/YYYY, a second part over 12 MM/DD/YYYY; a file with neither is undecided
 * (unless it has no slashed date at all: then YYYY-MM-DD).
 */
export function readDateFormat(rows: CsvRow[], header: string[], mapping: Mapping): DateReading {
  const columns = DATE_FIELDS.map((f) => mapping[f]).filter((c): c is string => c !== null && header.includes(c));
  const slashed = new Set<string>();
  let dayFirst: CsvProblem | null = null;
  let monthFirst: CsvProblem | null = null;
  for (const row of rows) {
    for (const column of columns) {
      const m = SLASHED.exec(row.values[header.indexOf(column)] ?? '');
      if (!m) continue;
      slashed.add(column);
      if (Number(m[1]) > 12) dayFirst ??= { line: row.line, column, message: 'this date is written DD/MM/YYYY' };
      if (Number(m[2]) > 12) monthFirst ??= { line: row.line, column, message: 'this date is written MM/DD/YYYY' };
    }
  }
  if (dayFirst && monthFirst) return { settled: false, contradiction: [dayFirst, monthFirst] };
  if (dayFirst) return { settled: true, format: 'DD/MM/YYYY' };
  if (monthFirst) return { settled: true, format: 'MM/DD/YYYY' };
  if (slashed.size === 0) return { settled: true, format: 'YYYY-MM-DD' };
  return { settled: false, columns: columns.filter((c) => slashed.has(c)) };
}

/**
 * A date as the import stores it (YYYY-MM-DD), or null when the value is not written in
 * `format` (YYYY-MM-DD is always read too). Whether the day is real is the import's check.
 */
export function toIsoDate(value: string, format: DateFormat): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const m = SLASHED.exec(value);
  if (!m || format === 'YYYY-MM-DD') return null;
  const [day, month] = format === 'DD/MM/YYYY' ? [m[1], m[2]] : [m[2], m[1]];
  return `${m[3]}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}
