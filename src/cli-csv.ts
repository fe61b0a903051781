// The CLI's CSV panel-list import: `import panel.csv [--map field=Column]... [--dates FORMAT]`.
// The mapping is guessed from the header and printed; --map corrects it. A file whose dates
// could be read two ways is refused until --dates says which. Problems by line and column.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Db } from './domain/database/db.ts';
import type { Clock } from './domain/time/clock.ts';
import { importCsv, type CsvChoices } from './domain/import/csv-import.ts';
import { DATE_FORMATS, FIELD_LABELS, FIELDS, isDateFormat, type Field, type Mapping } from './domain/import/csv-mapping.ts';
import { describeCsvProblem } from './domain/import/csv-translate.ts';
import { printCounts } from './cli-fhir.ts';

type Out = { out: (line: string) => void; err: (line: string) => void };

/** The flags as choices, or what is wrong with them (exit 2). */
export function csvChoices(args: string[]): { ok: true; file: string; choices: CsvChoices } | { ok: false; message: string } {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { map: { type: 'string', multiple: true }, dates: { type: 'string' } } });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return { ok: false, message: 'import takes one .csv file.' };
  const mapping: Partial<Mapping> = {};
  for (const pair of values.map ?? []) {
    const [field, ...column] = pair.split('=');
    if (!(FIELDS as readonly string[]).includes(field) || column.length === 0) {
      return { ok: false, message: `--map needs field=Column, the field one of ${FIELDS.join(', ')} (got "${pair}").` };
    }
    const name = column.join('=');
    mapping[field as Field] = name === '' ? null : name;
  }
  if (values.dates !== undefined && !isDateFormat(values.dates)) {
    return { ok: false, message: `--dates is one of ${DATE_FORMATS.join(', ')} (got "${values.dates}").` };
  }
  return { ok: true, file: positionals[0], choices: { mapping, dates: values.dates as CsvChoices['dates'] } };
}

const describeMapping = (mapping: Mapping) =>
  FIELDS.map((f) => `  ${f} (${FIELD_LABELS[f]}): ${mapping[f] === null ? '— not in the file —' : `"${mapping[f]}"`}`);

export async function importCsvFile(db: Db, clock: Clock, file: string, choices: CsvChoices, io: Out): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    io.err(`Cannot read ${file}: ${(error as { code?: string }).code ?? 'error'}.`);
    return 1;
  }
  const result = await importCsv(db, clock, bytes, choices);
  if (!result.ok) {
    for (const p of result.problems) io.err(`${file}: ${describeCsvProblem(p)}`);
    if (result.mapping) {
      io.err('The columns were read as (correct one with --map field=Column):');
      for (const line of describeMapping(result.mapping)) io.err(line);
    }
    if (result.askDates.length) io.err(`Say how the dates are written: --dates DD/MM/YYYY or --dates MM/DD/YYYY.`);
    io.err(`Nothing was imported: ${result.problems.length} problem(s) in ${file}.`);
    return 1;
  }
  io.out(`Imported ${file} (dates read as ${result.format}), its columns read as:`);
  for (const line of describeMapping(result.mapping)) io.out(line);
  printCounts(io, result.counts);
  if (result.warnings.length) {
    io.out(`${result.warnings.length} blank value(s) stored as not recorded (readiness names what each one blocks):`);
    for (const w of result.warnings) io.out(`  ${describeCsvProblem(w)}`);
  }
  return 0;
}
