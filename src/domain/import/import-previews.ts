// An import made in the portal: the uploaded file is kept with its preview until its user
// applies it (all or nothing, once) or cancels it. The file's content is dropped either way.
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from '../people/permissions.ts';
import { auditStatements } from '../audit/audit.ts';
import { importClinicalRecord, type ImportCounts, type Problem } from './import.ts';
import { previewImport, type ImportPreview } from './import-preview.ts';

/** The upload limit, documented in the README: a clinic of 10,000 patients is about 4 MB. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

export type StoredPreview = { token: string; fileName: string; createdAt: Date; state: 'waiting' | 'applied' | 'cancelled'; outcome: ImportCounts | null };

/** The file's text as the import reads it; a problem that names only where it is, never what. */
export function parseImportFile(text: string): { ok: true; input: unknown } | { ok: false; problems: Problem[] } {
  try {
    return { ok: true, input: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    return { ok: false, problems: [{ path: '$', message: `not valid JSON${position ? ` (at character ${position})` : ''}` }] };
  }
}

/** Checks and previews an upload; when it would import, keeps it for Apply. */
export async function startImport(db: Db, clock: Clock, scope: Scope, fileName: string, text: string):
  Promise<{ ok: true; token: string; preview: ImportPreview } | { ok: false; problems: Problem[] }> {
  const parsed = parseImportFile(text);
  if (!parsed.ok) return parsed;
  const previewed = await previewImport(db, clock, parsed.input);
  if (!previewed.ok) return previewed;
  const token = crypto.randomUUID();
  await db.execute({
    sql: 'INSERT INTO import_previews (token, user_id, file_name, content, created_at) VALUES (?, ?, ?, ?, ?)',
    args: [token, scope.userId, fileName.slice(0, 200), text, clock.now().getTime()],
  });
  return { ok: true, token, preview: previewed.preview };
}

function toStored(r: Record<string, unknown>): StoredPreview {
  return {
    token: String(r.token), fileName: String(r.file_name), createdAt: new Date(Number(r.created_at)),
    state: r.applied_at !== null ? 'applied' : r.cancelled_at !== null ? 'cancelled' : 'waiting',
    outcome: r.outcome === null ? null : JSON.parse(String(r.outcome)) as ImportCounts,
  };
}

/** One of the user's own previews (someone else's is answered like a missing one), previewed again as the data stands now. */
export async function getImport(db: Db, clock: Clock, scope: Scope, token: string):
  Promise<null | { stored: StoredPreview; preview: ImportPreview | null; problems: Problem[] }> {
  const r = (await db.execute({ sql: 'SELECT * FROM import_previews WHERE token = ? AND user_id = ?', args: [token, scope.userId] })).rows[0];
  if (!r) return null;
  const stored = toStored(r);
  if (stored.state !== 'waiting' || r.content === null) return { stored, preview: null, problems: [] };
  const parsed = parseImportFile(String(r.content));
  const previewed = parsed.ok ? await previewImport(db, clock, parsed.input) : parsed;
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
    sql: `UPDATE import_previews SET applied_at = ? WHERE token = ? AND user_id = ? AND applied_at IS NULL AND cancelled_at IS NULL
          RETURNING content, file_name`,
    args: [clock.now().getTime(), token, scope.userId],
  })).rows[0];
  if (!claimed) {
    const exists = await db.execute({ sql: 'SELECT 1 FROM import_previews WHERE token = ? AND user_id = ?', args: [token, scope.userId] });
    return { ok: false, reason: exists.rows.length ? 'done' : 'not_found' };
  }
  const parsed = parseImportFile(String(claimed.content));
  const previewed = parsed.ok ? await previewImport(db, clock, parsed.input) : parsed;
  // The audit entry and the dropped file commit with the import, or not at all.
  const result = parsed.ok && previewed.ok
    ? await importClinicalRecord(db, clock, parsed.input, async (tx) => {
      const { keys, ids } = previewed.preview.touched;
      const byKey = await tx.execute({ sql: 'SELECT id FROM patients WHERE key IN (SELECT value FROM json_each(?))', args: [JSON.stringify(keys)] });
      return [
        { sql: 'UPDATE import_previews SET content = NULL WHERE token = ?', args: [token] },
        ...auditStatements(clock, scope, {
          action: 'edit', objectType: 'import', objectId: String(claimed.file_name),
          patientIds: [...byKey.rows.map((r) => Number(r.id)), ...ids], ...audit,
        }),
      ];
    })
    : null;
  if (!result || !result.ok || !previewed.ok) {
    await db.execute({ sql: 'UPDATE import_previews SET applied_at = NULL WHERE token = ?', args: [token] });
    const problems = result && !result.ok ? result.problems : previewed.ok ? [] : previewed.problems;
    return { ok: false, reason: 'refused', problems };
  }
  await db.execute({ sql: 'UPDATE import_previews SET outcome = ? WHERE token = ?', args: [JSON.stringify(result.counts), token] });
  return { ok: true, counts: result.counts };
}

/** Cancels a waiting preview: its file is dropped, nothing is written. */
export async function cancelImport(db: Db, clock: Clock, scope: Scope, token: string): Promise<boolean> {
  const r = await db.execute({
    sql: `UPDATE import_previews SET cancelled_at = ?, content = NULL
           WHERE token = ? AND user_id = ? AND applied_at IS NULL AND cancelled_at IS NULL`,
    args: [clock.now().getTime(), token, scope.userId],
  });
  return r.rowsAffected === 1;
}
