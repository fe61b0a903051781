// The CLI's FHIR import: files and directories (a Bulk Data export's folder: its .ndjson and
// .json files) read, imported all or nothing, and reported — problems by file, line or entry
// and location, never a value from the file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './domain/database/db.ts';
import type { Clock } from './domain/time/clock.ts';
import type { ImportCounts } from './domain/import/import.ts';
import { importFhir } from './domain/import/fhir-import.ts';
import { describeWhere, type SourceFile } from './domain/import/fhir-files.ts';

type Out = { out: (line: string) => void; err: (line: string) => void };

/** The files to read: each path, or a directory's .ndjson and .json files in name order. */
function expand(paths: string[]): string[] {
  return paths.flatMap((path) => (statSync(path).isDirectory()
    ? readdirSync(path).filter((name) => /\.(nd)?json$/i.test(name)).sort().map((name) => join(path, name))
    : [path]));
}

export async function importFhirFiles(db: Db, clock: Clock, paths: string[], io: Out): Promise<number> {
  let files: SourceFile[];
  try {
    files = expand(paths).map((name) => ({ name, text: readFileSync(name, 'utf8') }));
  } catch (error) {
    io.err(`Cannot read ${(error as { path?: string }).path ?? 'a file'}: ${(error as { code?: string }).code ?? 'error'}.`);
    return 1;
  }
  if (files.length === 0) {
    io.err(`No .ndjson or .json files in ${paths.join(', ')}.`);
    return 1;
  }
  const result = await importFhir(db, clock, files);
  const skipped = Object.entries(result.skipped);
  const reportSkipped = () => {
    if (!skipped.length) return;
    io.out(`Skipped ${skipped.reduce((n, [, c]) => n + c, 0)} resource(s) the import does not read: ${skipped.map(([what, n]) => `${what} ${n}`).join(', ')}.`);
  };
  if (!result.ok) {
    for (const p of result.problems) io.err(`${describeWhere(p)}: ${p.location}: ${p.message}`);
    io.err(`Nothing was imported: ${result.problems.length} problem(s) in ${files.length} file(s).`);
    reportSkipped();
    return 1;
  }
  io.out(`Imported ${files.length} FHIR file(s):`);
  printCounts(io, result.counts);
  reportSkipped();
  if (result.warnings.length) {
    io.out(`${result.warnings.length} blank value(s) stored as not recorded (readiness names what each one blocks):`);
    for (const w of result.warnings) io.out(`  ${describeWhere(w)}: ${w.location}: ${w.message}`);
  }
  return 0;
}

export function printCounts(io: Out, counts: ImportCounts) {
  for (const [kind, n] of Object.entries(counts)) {
    io.out(`  ${kind.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}: ${Object.entries(n).map(([what, k]) => `${k} ${what}`).join(', ')}`);
  }
}
