// Import of FHIR R4 data (a Bundle, single resources, Bulk Data NDJSON): translated into the
// portal's clinical-record extract and written by importClinicalRecord, so the rules, counts
// and warnings are the JSON import's, all or nothing. Problems point into the FHIR files by
// file, NDJSON line or Bundle entry, and FHIRPath-like location — never by a value.
import type { InStatement, Transaction } from '@libsql/client';
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import { edmontonDate } from '../time/edmonton.ts';
import { checkImport, importClinicalRecord, readExisting, type ImportCounts, type ImportOptions, type Problem } from './import.ts';
import { describeWhere, readFhirFiles, type FhirProblem, type SourceFile, type Where } from './fhir-files.ts';
import { identityCandidates, KEYED, type Identities } from './fhir-keys.ts';
import { LISTS, translateFhir, withContained, type Origins, type Translation } from './fhir-translate.ts';

export type FhirImportResult =
  | { ok: true; counts: ImportCounts; warnings: FhirProblem[]; skipped: Record<string, number> }
  | { ok: false; problems: FhirProblem[]; skipped: Record<string, number> };

/** A FHIR import's options: a Group has no place for a failure recipient, so panels keep theirs. */
export const FHIR_IMPORT_OPTIONS: ImportOptions = { keepFailureRecipients: true };

export type CheckedTranslation =
  | { ok: true; translation: Translation }
  | { ok: false; problems: FhirProblem[]; skipped: Record<string, number> };

/** The files as the portal's extract, or every problem found in them (the extract's own too). */
export async function translateChecked(db: Db, clock: Clock, files: SourceFile[]): Promise<CheckedTranslation> {
  const translation = await translate(db, files);
  if (!translation.problems.length) return { ok: true, translation };
  // Report the extract's own problems too, so one attempt shows everything to fix.
  const checked = checkImport(translation.extract, await readExisting(db, translation.extract), edmontonDate(clock.now()));
  const more = checked.ok ? [] : checked.problems;
  return { ok: false, problems: unique([...translation.problems, ...pointBack(more, translation.origins)]), skipped: translation.skipped };
}

export async function importFhir(db: Db, clock: Clock, files: SourceFile[],
  alsoWrite?: (tx: Transaction) => Promise<InStatement[]>): Promise<FhirImportResult> {
  const read = await translateChecked(db, clock, files);
  if (!read.ok) return read;
  const { translation } = read;
  const { skipped } = translation;
  const result = await importClinicalRecord(db, clock, translation.extract, alsoWrite, FHIR_IMPORT_OPTIONS);
  if (!result.ok) return { ok: false, problems: locate(result.problems, translation.origins), skipped };
  return { ok: true, counts: result.counts, warnings: pointBack(result.warnings, translation.origins), skipped };
}

/** The files as the portal's extract, with what the database knows of their identities. */
export async function translate(db: Db, files: SourceFile[]): Promise<Translation> {
  const read = readFhirFiles(files);
  return translateFhir(read, await readIdentities(db, identityCandidates(withContained(read.resources))));
}

const TABLES = {
  Patient: { table: 'patients', identifier: 'uli' },
  Practitioner: { table: 'practitioners', identifier: 'practitioner_id' },
  Group: { table: 'panels', identifier: 'panel_number' },
} as const;

/** One round trip: which keys exist, and the key of the one record holding each identifier. */
async function readIdentities(db: Db, wanted: ReturnType<typeof identityCandidates>): Promise<Identities> {
  const IN_LIST = 'IN (SELECT value FROM json_each(?))';
  const statements = KEYED.flatMap((type) => {
    const { table, identifier } = TABLES[type];
    return [
      { sql: `SELECT key FROM ${table} WHERE key ${IN_LIST}`, args: [JSON.stringify(wanted[type].keys)] },
      // A Practitioner ID two practitioners share names neither.
      { sql: `SELECT ${identifier} AS identifier, min(key) AS key FROM ${table} WHERE ${identifier} ${IN_LIST} AND key IS NOT NULL
               GROUP BY ${identifier} HAVING count(*) = 1`, args: [JSON.stringify(wanted[type].identifiers)] },
    ];
  });
  const results = await db.batch(statements, 'read');
  return Object.fromEntries(KEYED.map((type, i) => [type, {
    keys: new Set(results[2 * i].rows.map((r) => String(r.key))),
    byIdentifier: new Map(results[2 * i + 1].rows.map((r) => [String(r.identifier), String(r.key)])),
  }])) as Identities;
}

const EXTRACT_PATH = /^\$\.(\w+)\[(\d+)\](?:\.(\w+)(?:\[(\d+)\](?:\.(\w+))?)?)?$/;

/** The FHIR place of an extract path (`$.panels[2].members[5].confirmedOn` → `Group.member[7].period.start`). */
function placeOf(path: string, origins: Origins): (Where & { location: string }) | null {
  const m = EXTRACT_PATH.exec(path);
  const origin = m && (LISTS as readonly string[]).includes(m[1]) ? origins[m[1] as keyof Origins][Number(m[2])] : undefined;
  if (!m || !origin) return null;
  const [, , , field, item, sub] = m;
  let location = field ? origin.fields[field] ?? origin.at : origin.at;
  let where = origin.where;
  const inner = field && item !== undefined ? origin.items?.[field]?.[Number(item)] : undefined;
  if (typeof inner === 'string') location = inner;
  else if (inner) {
    location = (sub && inner.fields[sub]) || inner.at;
    where = inner.where;
  }
  return { ...where, location };
}

/** The extract's problems (or warnings) as places in the FHIR files; any path in a message too. */
export function pointBack(problems: Problem[], origins: Origins): FhirProblem[] {
  return problems.map((p) => {
    const place = placeOf(p.path, origins) ?? { file: '(import)', location: p.path };
    const message = p.message
      // The JSON check quotes a date-shaped value; a FHIR import's problems quote nothing.
      .replace(/ "[^"]*"$/, '')
      .replace(/no (patient|practitioner) with this key in the file/, (_, t: string) => `no ${t[0].toUpperCase()}${t.slice(1)} with this id in the files`)
      .replace(/\$[.\w[\]"]+/g, (path) => {
        const other = placeOf(path, origins);
        return other ? `${other.location} (${describeWhere(other)})` : path;
      });
    return { ...place, message };
  });
}

/** The extract's problems as places in the FHIR files, one per place. */
export const locate = (problems: Problem[], origins: Origins): FhirProblem[] => unique(pointBack(problems, origins));

/** One problem per place: the translation and the check can both find fault with one value. */
function unique(problems: FhirProblem[]): FhirProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${describeWhere(p)}\n${p.location}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
