// An import made in the portal: the uploaded files (the JSON extract, FHIR R4 files, or a mapped CSV) are
// kept with their preview until their user applies it (all or nothing, once) or cancels it.
// The files' content is dropped either way.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';
import { auditStatements } from '../audit/audit.ts';
import { importClinicalRecord, type ImportCounts, type Problem } from './import.ts';
import { previewImport, type ImportPreview } from './import-preview.ts';
import { readMappedCsv, readUpload, type MappedCsv, type ReadUpload, type UploadFormat } from './import-upload.ts';
import type { SourceFile } from './fhir-files.ts';

/** The upload limit (all files of one upload together), documented in the README: a clinic of 10,000 patients is about 4 MB. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

/**
 * An Apply claims its preview first. The import then drops the kept files in its own commit,
 * so a claim whose files are still kept after this long belongs to an Apply that never
 * committed (its process died): the preview waits again rather than being lost.
 */
export const APPLY_LAPSE_MS = 10 * 60_000;

const lapsedClaim = (r: Record<string, unknown>, now: number) =>
  r.applied_at !== null && r.content !== null && r.outcome === null && Number(r.applied_at) < now - APPLY_LAPSE_MS;

export type StoredPreview = { token: string; fileName: string; createdAt: Date; state: 'waiting' | 'applied' | 'cancelled'; outcome: ImportCounts | null };

/** The preview with what the upload was read as, and the FHIR resources it does not import. */
export type UploadPreview = ImportPreview & { format: UploadFormat; skipped: Record<string, number> };

type Previewed = { ok: true; read: Extract<ReadUpload, { ok: true }>; preview: UploadPreview } | { ok: false; problems: Problem[] };

/** The upload read and previewed as Apply would import it now; problems and warnings point into the files. */
async function previewUpload(db: Db, clock: Clock, read: ReadUpload): Promise<Previewed> {
  if (!read.ok) return read;
  const previewed = await previewImport(db, clock, read.input, read.options);
  if (!previewed.ok) return { ok: false, problems: read.locate(previewed.problems) };
  const preview = { ...previewed.preview, warnings: read.locate(previewed.preview.warnings), format: read.format, skipped: read.skipped };
  return { ok: true, read, preview };
}

export type StartResult = { ok: true; token: string; preview: UploadPreview } | { ok: false; problems: Problem[] };

/** Checks and previews an upload (one file or several); when it would import, keeps it for Apply. */
export async function startImport(db: Db, clock: Clock, scope: Scope, files: SourceFile[]): Promise<StartResult> {
  const previewed = await previewUpload(db, clock, await readUpload(db, clock, files));
  if (!previewed.ok) return previewed;
  const content = previewed.preview.format === 'extract' ? files[0].text : JSON.stringify(files);
  return keep(db, clock, scope, files.map((f) => f.name).join(', '), content, previewed.preview);
}

/** A mapped CSV panel list previewed, and kept for Apply with the lines and columns its records came from. */
export async function startCsvImport(db: Db, clock: Clock, scope: Scope, fileName: string, csv: MappedCsv): Promise<StartResult> {
  const previewed = await previewUpload(db, clock, readMappedCsv(csv));
  if (!previewed.ok) return previewed;
  return keep(db, clock, scope, fileName, JSON.stringify(csv), previewed.preview);
}

async function keep(db: Db, clock: Clock, scope: Scope, fileName: string, content: string, preview: UploadPreview): Promise<StartResult> {
  const token = crypto.randomUUID();
  await db.execute({
    sql: 'INSERT INTO import_previews (token, user_id, file_name, format, content, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    args: [token, scope.userId, fileName.slice(0, 200), preview.format, content, clock.now().getTime()],
  });
  return { ok: true, token, preview };
}

/** What a waiting preview keeps, read again: the extract's text, FHIR files as a JSON list, or a mapped CSV. */
async function readKept(db: Db, clock: Clock, r: Record<string, unknown>): Promise<ReadUpload> {
  const content = String(r.content);
  if (r.format === 'csv') return readMappedCsv(JSON.parse(content) as MappedCsv);
  const files: SourceFile[] = r.format === 'fhir' ? JSON.parse(content) : [{ name: String(r.file_name), text: content }];
  return readUpload(db, clock, files);
}

function toStored(r: Record<string, unknown>, now: number): StoredPreview {
  return {
    token: String(r.token), fileName: String(r.file_name), createdAt: new Date(Number(r.created_at)),
    state: r.cancelled_at !== null ? 'cancelled' : r.applied_at !== null && !lapsedClaim(r, now) ? 'applied' : 'waiting',
    outcome: r.outcome === null ? null : JSON.parse(String(r.outcome)) as ImportCounts,
  };
}

export type GetResult = null | { stored: StoredPreview; preview: UploadPreview | null; problems: Problem[] };

/** One of the user's own previews (someone else's is answered like a missing one), previewed again as the data stands now. */
export async function getImport(db: Db, clock: Clock, scope: Scope, token: string): Promise<GetResult> {
  const r = (await db.execute({ sql: 'SELECT * FROM import_previews WHERE token = ? AND user_id = ?', args: [token, scope.userId] })).rows[0];
  if (!r) return null;
  const stored = toStored(r, clock.now().getTime());
  if (stored.state !== 'waiting' || r.content === null) return { stored, preview: null, problems: [] };
  const previewed = await previewUpload(db, clock, await readKept(db, clock, r));
  return previewed.ok ? { stored, preview: previewed.preview, problems: [] } : { stored, preview: null, problems: previewed.problems };
}

export type ApplyResult =
  | { ok: true; counts: ImportCounts }
  | { ok: false; reason: 'not_found' | 'done' }
  | { ok: false; reason: 'refused'; problems: Problem[] };

/**
 * Applies a waiting preview once: it is marked applied first (compare-and-set), so a second
 * Apply is refused; the import is all or nothing, and is audited with every patient it
 * touched. If the data changed since the preview so that the file is now refused, nothing is
 * written and the preview waits again.
 */
export async function applyImport(db: Db, clock: Clock, scope: Scope, token: string, audit: { route: string; requestId?: string }): Promise<ApplyResult> {
  const claimed = (await db.execute({
    sql: `UPDATE import_previews SET applied_at = ?1 WHERE token = ?2 AND user_id = ?3 AND cancelled_at IS NULL
             AND (applied_at IS NULL OR (content IS NOT NULL AND outcome IS NULL AND applied_at < ?1 - ?4))
          RETURNING content, file_name, format`,
    args: [clock.now().getTime(), token, scope.userId, APPLY_LAPSE_MS],
  })).rows[0];
  if (!claimed) {
    const exists = await db.execute({ sql: 'SELECT 1 FROM import_previews WHERE token = ? AND user_id = ?', args: [token, scope.userId] });
    return { ok: false, reason: exists.rows.length ? 'done' : 'not_found' };
  }
  const refused = async (problems: Problem[]): Promise<ApplyResult> => {
    await db.execute({ sql: 'UPDATE import_previews SET applied_at = NULL WHERE token = ?', args: [token] });
    return { ok: false, reason: 'refused', problems };
  };
  const previewed = await previewUpload(db, clock, await readKept(db, clock, claimed));
  if (!previewed.ok) return refused(previewed.problems);
  // The audit entry and the dropped files commit with the import, or not at all.
  const result = await importClinicalRecord(db, clock, previewed.read.input, async (tx) => {
    const { keys, ids } = previewed.preview.touched;
    const byKey = await tx.execute({ sql: 'SELECT id FROM patients WHERE key IN (SELECT value FROM json_each(?))', args: [JSON.stringify(keys)] });
    return [
      { sql: 'UPDATE import_previews SET content = NULL WHERE token = ?', args: [token] },
      ...auditStatements(clock, scope, {
        action: 'edit', objectType: 'import', objectId: String(claimed.file_name),
        patientIds: [...byKey.rows.map((r) => Number(r.id)), ...ids], ...audit,
      }),
    ];
  }, previewed.read.options);
  if (!result.ok) return refused(previewed.read.locate(result.problems));
  await db.execute({ sql: 'UPDATE import_previews SET outcome = ? WHERE token = ?', args: [JSON.stringify(result.counts), token] });
  return { ok: true, counts: result.counts };
}

/** Cancels a waiting preview: its file is dropped, nothing is written. */
export async function cancelImport(db: Db, clock: Clock, scope: Scope, token: string): Promise<boolean> {
  const r = await db.execute({
    sql: `UPDATE import_previews SET cancelled_at = ?1, content = NULL
           WHERE token = ?2 AND user_id = ?3 AND cancelled_at IS NULL
             AND (applied_at IS NULL OR (content IS NOT NULL AND outcome IS NULL AND applied_at < ?1 - ?4))`,
    args: [clock.now().getTime(), token, scope.userId, APPLY_LAPSE_MS],
  });
  return r.rowsAffected === 1;
}
