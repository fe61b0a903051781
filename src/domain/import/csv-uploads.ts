// A CSV panel list uploaded in the portal waits here while its user checks the column
// mapping (step 2). Once mapped it becomes an ordinary import preview of the translated
// extract (step 3: the same preview, Apply once or Cancel) and the CSV itself is dropped.
// Nothing reaches the clinic's records before Apply.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';
import { startCsvImport } from './import-previews.ts';
import { readCsv, type CsvProblem, type CsvTable } from './csv-read.ts';
import { mappingFor, prepareCsv, type CsvChoices, type PreparedCsv } from './csv-import.ts';
import { readDateFormat, type DateReading, type Mapping } from './csv-mapping.ts';

/** A name ending in .csv, or a CSV content type, is a panel list (anything else is the JSON or FHIR import's). */
export const isCsvUpload = (name: string, type: string) => /\.csv$/i.test(name) || /^text\/csv\b/i.test(type);

export type CsvUpload = { token: string; fileName: string; table: CsvTable };

/** Keeps a readable CSV for its mapping step; one that cannot be read is refused at once, with where. */
export async function startCsvUpload(db: Db, clock: Clock, scope: Scope, fileName: string, bytes: Buffer):
  Promise<{ ok: true; token: string } | { ok: false; problems: CsvProblem[] }> {
  const read = readCsv(bytes);
  if (!read.ok) return read;
  const token = crypto.randomUUID();
  await db.execute({
    sql: 'INSERT INTO csv_uploads (token, user_id, file_name, content, created_at) VALUES (?, ?, ?, ?, ?)',
    args: [token, scope.userId, fileName.slice(0, 200), bytes.toString('utf8'), clock.now().getTime()],
  });
  return { ok: true, token };
}

async function load(db: Db, scope: Scope, token: string) {
  const r = (await db.execute({ sql: 'SELECT file_name, content FROM csv_uploads WHERE token = ? AND user_id = ?', args: [token, scope.userId] })).rows[0];
  return r ? { fileName: String(r.file_name), bytes: Buffer.from(String(r.content), 'utf8') } : null;
}

export type MappingStep = CsvUpload & { mapping: Mapping; dates: DateReading };

/** The user's own waiting upload (someone else's is answered like a missing one) with the mapping as guessed or chosen. */
export async function getCsvUpload(db: Db, scope: Scope, token: string, choices: CsvChoices = {}): Promise<MappingStep | null> {
  const found = await load(db, scope, token);
  if (!found) return null;
  const read = readCsv(found.bytes);
  if (!read.ok) return null;
  const mapping = mappingFor(read.table, choices);
  return { token, fileName: found.fileName, table: read.table, mapping, dates: readDateFormat(read.table.rows, read.table.header, mapping) };
}

export type Mapped = { ok: true; previewToken: string } | { ok: false; reason: 'not_found' } | (Extract<PreparedCsv, { ok: false }> & { reason: 'refused' });

/**
 * Step 2 → 3: the file translated with the user's mapping and dates, and kept as an import
 * preview with the line each record came from (on the portal's importing thread, as the
 * importer runs it); the CSV itself is dropped.
 */
export async function mapCsvUpload(db: Db, clock: Clock, scope: Scope, token: string, choices: CsvChoices): Promise<Mapped> {
  const found = await load(db, scope, token);
  if (!found) return { ok: false, reason: 'not_found' };
  const prepared = await prepareCsv(db, clock, found.bytes, choices);
  if (!prepared.ok) return { ...prepared, reason: 'refused' };
  const { extract, origins, mapping } = prepared;
  const started = await startCsvImport(db, clock, scope, found.fileName, { extract, origins, mapping });
  // Refused only if the data changed between the check and now: the user maps again.
  if (!started.ok) {
    const problems = started.problems.map((p) => ({ line: null, column: null, message: `${p.path}: ${p.message}` }));
    return { ok: false, reason: 'refused', problems, mapping: prepared.mapping, askDates: [] };
  }
  await discardCsvUpload(db, scope, token);
  return { ok: true, previewToken: started.token };
}

/** Drops a waiting upload (Cancel on the mapping step). */
export async function discardCsvUpload(db: Db, scope: Scope, token: string): Promise<boolean> {
  const r = await db.execute({ sql: 'DELETE FROM csv_uploads WHERE token = ? AND user_id = ?', args: [token, scope.userId] });
  return r.rowsAffected === 1;
}
