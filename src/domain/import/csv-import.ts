// Import of a CSV panel list: read, mapped (the guess, overridden by the user's choices),
// its dates read in the one format the file settles or the user names, translated into the
// clinical-record extract and checked by the import's own rules — every problem by line and
// column. Applying is importClinicalRecord's: all or nothing.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { checkImport, importClinicalRecord, readExisting, type ImportCounts } from './import.ts';
import { readCsv, type CsvProblem, type CsvTable } from './csv-read.ts';
import { checkMapping, guessMapping, readDateFormat, type DateFormat, type Mapping } from './csv-mapping.ts';
import { pointBackCsv, translateCsv, type CsvExtract, type CsvOrigins, type Directory } from './csv-translate.ts';

/** What the user chose: columns for some fields (null: none), and the date format. */
export type CsvChoices = { mapping?: Partial<Mapping>; dates?: DateFormat };

export type PreparedCsv =
  /** `origins`: the line each record of the extract came from, so later problems point back into the file */
  | { ok: true; extract: CsvExtract; origins: CsvOrigins; mapping: Mapping; format: DateFormat; warnings: CsvProblem[] }
  /** `askDates`: the date columns whose format the file leaves open, when no format was chosen */
  | { ok: false; problems: CsvProblem[]; mapping: Mapping | null; askDates: string[] };

/** The guessed mapping with the user's choices over it. */
export const mappingFor = (table: CsvTable, choices: CsvChoices): Mapping => ({ ...guessMapping(table.header), ...choices.mapping });

/** The file as the extract to preview or import, or everything to fix first. Reads only. */
export async function prepareCsv(db: Db, clock: Clock, bytes: Buffer, choices: CsvChoices): Promise<PreparedCsv> {
  const read = readCsv(bytes);
  if (!read.ok) return { ...read, mapping: null, askDates: [] };
  const { table } = read;
  const mapping = mappingFor(table, choices);
  const refused = (problems: CsvProblem[], askDates: string[] = []) => ({ ok: false as const, problems, mapping, askDates });
  const wrongMapping = checkMapping(mapping, table.header);
  if (wrongMapping.length) return refused(wrongMapping);
  const reading = readDateFormat(table.rows, table.header, mapping);
  if (!reading.settled && 'contradiction' in reading && !choices.dates) {
    return refused(reading.contradiction.map((p) => ({ ...p, message: `${p.message}, and another date in the file is not: the file mixes two formats` })));
  }
  const format = choices.dates ?? (reading.settled ? reading.format : null);
  if (!format) {
    const columns = 'columns' in reading ? reading.columns : [];
    return refused([{ line: null, column: null, message: `the dates in ${columns.map((c) => `"${c}"`).join(', ')} could be DD/MM/YYYY or MM/DD/YYYY: say which` }], columns);
  }
  const translation = translateCsv(table, mapping, format, await readDirectory(db, table, mapping));
  const checked = checkImport(translation.extract, await readExisting(db, translation.extract), edmontonDate(clock.now()));
  const more = checked.ok ? [] : pointBackCsv(checked.problems, translation.origins, mapping);
  // By line, so the user reads the file top to bottom (a stable sort keeps each line's order).
  const problems = unique([...translation.problems, ...more]).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (problems.length || !checked.ok) return refused(problems);
  return { ok: true, extract: translation.extract, origins: translation.origins, mapping, format, warnings: pointBackCsv(checked.warnings, translation.origins, mapping) };
}

export type CsvImportResult =
  | { ok: true; counts: ImportCounts; warnings: CsvProblem[]; mapping: Mapping; format: DateFormat }
  | Extract<PreparedCsv, { ok: false }>;

/** Imports a CSV panel list at once (the command line): all or nothing. */
export async function importCsv(db: Db, clock: Clock, bytes: Buffer, choices: CsvChoices): Promise<CsvImportResult> {
  const prepared = await prepareCsv(db, clock, bytes, choices);
  if (!prepared.ok) return prepared;
  const result = await importClinicalRecord(db, clock, prepared.extract);
  // Refused only if the data changed between the check and the write.
  if (!result.ok) {
    return { ok: false, problems: result.problems.map((p) => ({ line: null, column: null, message: `${p.path}: ${p.message}` })), mapping: prepared.mapping, askDates: [] };
  }
  return { ok: true, counts: result.counts, warnings: prepared.warnings, mapping: prepared.mapping, format: prepared.format };
}

/** One problem per place: the translation and the check can both find fault with one value. */
function unique(problems: CsvProblem[]): CsvProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = p.line === null ? `\n${p.message}` : `${p.line}\n${p.column}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** What the file's rows refer to, in one round trip: its patients by PHN, the active panels, the practitioners. */
async function readDirectory(db: Db, table: CsvTable, mapping: Mapping): Promise<Directory> {
  const column = mapping.uli === null ? -1 : table.header.indexOf(mapping.uli);
  const ulis = [...new Set(table.rows.map((r) => (r.values[column] ?? '').replace(/[\s-]/g, '')))];
  const [patients, panels, practitioners] = await db.batch([
    { sql: 'SELECT uli, key, status FROM patients WHERE uli IN (SELECT value FROM json_each(?))', args: [JSON.stringify(ulis)] },
    `SELECT p.key, p.name, p.panel_number, p.cpar_enabled, u.username,
            (SELECT json_group_array(key) FROM (SELECT pr.key FROM panel_practitioners pp JOIN practitioners pr ON pr.id = pp.practitioner_id
               WHERE pp.panel_id = p.id ORDER BY pr.id)) AS practitioners
       FROM panels p LEFT JOIN users u ON u.id = p.failure_recipient_id AND u.disabled_at IS NULL
      WHERE p.active = 1`,
    'SELECT key, name, practitioner_id FROM practitioners',
  ], 'read');
  return {
    patients: new Map(patients.rows.map((r) => [String(r.uli), { key: String(r.key), status: String(r.status) }])),
    panels: panels.rows.map((r) => ({
      key: String(r.key), name: String(r.name), panelNumber: r.panel_number === null ? null : String(r.panel_number),
      cparEnabled: Number(r.cpar_enabled) === 1, failureRecipient: r.username === null ? null : String(r.username),
      practitioners: JSON.parse(String(r.practitioners)) as string[],
    })),
    practitioners: practitioners.rows.map((r) => ({
      key: String(r.key), name: String(r.name), practitionerId: r.practitioner_id === null ? null : String(r.practitioner_id),
    })),
  };
}
