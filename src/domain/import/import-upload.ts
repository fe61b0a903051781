// An upload to the Import page, read as the CLI reads its files: one JSON file without a
// resourceType is the portal's own extract; anything else — a Bundle, a single resource,
// Bulk Data NDJSON files, several at once — is FHIR R4, translated into the extract by the
// FHIR import (its keys, references and failure-recipient rule). A CSV panel list reaches the
// preview once mapped (readMappedCsv). Each gives the extract that the preview shows and Apply
// writes, and says where a problem is in the uploaded file.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { ImportOptions, Problem } from './import.ts';
import { describeWhere, isFhirJson, type FhirProblem, type SourceFile } from './fhir-files.ts';
import { FHIR_IMPORT_OPTIONS, locate, translateChecked } from './fhir-import.ts';
import { csvPlace, pointBackCsv, type CsvExtract, type CsvOrigins } from './csv-translate.ts';
import type { Mapping } from './csv-mapping.ts';

export type UploadFormat = 'extract' | 'fhir' | 'csv';

export type ReadUpload =
  | {
    ok: true; format: UploadFormat; input: unknown; options: ImportOptions;
    /** FHIR resources the import does not read, by what they are */
    skipped: Record<string, number>;
    /** the extract's problems (or warnings) as places in the uploaded files */
    locate(problems: Problem[]): Problem[];
  }
  | { ok: false; problems: Problem[] };

/** The file's text as the JSON import reads it; a problem that names only where it is, never what. */
export function parseImportFile(text: string): { ok: true; input: unknown } | { ok: false; problems: Problem[] } {
  try {
    return { ok: true, input: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return { ok: false, problems: [{ path: '$', message: `not valid JSON${position ? ` (at character ${position})` : ''}` }] };
  }
}

/** A FHIR problem as the page lists problems: the file, its line or entry, then the location. */
const fromFhir = (p: FhirProblem): Problem => ({ path: `${describeWhere(p)}: ${p.location}`, message: p.message });

/** The uploaded files as the extract to preview and apply, or their problems (nothing is written). */
export async function readUpload(db: Db, clock: Clock, files: SourceFile[]): Promise<ReadUpload> {
  if (files.length === 1 && !/\.ndjson$/i.test(files[0].name)) {
    const parsed = parseImportFile(files[0].text);
    if (!parsed.ok) return parsed;
    if (!isFhirJson(parsed.input)) {
      return { ok: true, format: 'extract', input: parsed.input, options: {}, skipped: {}, locate: (problems) => problems };
    }
  }
  const read = await translateChecked(db, clock, files);
  if (!read.ok) return { ok: false, problems: read.problems.map(fromFhir) };
  const { extract, origins, skipped } = read.translation;
  return {
    ok: true, format: 'fhir', input: extract, options: FHIR_IMPORT_OPTIONS, skipped,
    locate: (problems) => locate(problems, origins).map(fromFhir),
  };
}

/** A CSV panel list once mapped (csv-uploads.ts): the extract it became, and the line and column each record came from. */
export type MappedCsv = { extract: CsvExtract; origins: CsvOrigins; mapping: Mapping };

/** A mapped CSV as the preview and Apply read it: its problems and warnings by line and column of the file. */
export function readMappedCsv(csv: MappedCsv): Extract<ReadUpload, { ok: true }> {
  return {
    ok: true, format: 'csv', input: csv.extract, options: {}, skipped: {},
    locate: (problems) => pointBackCsv(problems, csv.origins, csv.mapping).map((p) => ({ path: csvPlace(p), message: p.message })),
  };
}
