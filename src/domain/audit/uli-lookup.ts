import type { Db } from '../database/db.ts';
import { retryWhenBusy } from '../database/busy-retry.ts';

/**
 * The entries whose patients include a ULI (bound once as ?): those the lookup holds, and those
 * written since it was last extended, read from the trail's own rows after its mark (a range
 * of audit_patients' primary key). Nothing is missed however far behind the lookup is.
 */
export const ENTRIES_WITH_PATIENT_ULI = `SELECT audit_id FROM audit_uli_lookup WHERE uli = ?
  UNION ALL SELECT audit_id FROM audit_patients WHERE audit_id > (SELECT audit_id FROM audit_uli_lookup_through) AND uli = ?`;

/** Entries taken into the lookup per write: ~5,000 rows, a few tens of ms holding the write lock (and, on a file, the event loop). */
export const LOOKUP_ENTRIES_PER_WRITE = 100;

/**
 * Takes the entries written since the lookup's mark into it, sorted, up to `perWrite` entries
 * a write (the rows and the mark move in one write batch, so two portals doing it at once
 * never skip or repeat an entry), until it has caught up. Returns how many entries it took in.
 * Called by the scheduler, off the pages' path: a page view writes its patients' rows in
 * entry order, and never a random place of an index.
 */
export async function extendUliLookup(db: Db, perWrite = LOOKUP_ENTRIES_PER_WRITE): Promise<number> {
  const writer = retryWhenBusy(db, { budgetMs: 10_000, firstDelayMs: 5, maxDelayMs: 100 });
  let taken = 0;
  for (;;) {
    // A read first: a write batch takes the write lock even when there is nothing to take in,
    // and every portal does this at every heartbeat.
    const behind = await db.execute(`SELECT (SELECT audit_id FROM audit_uli_lookup_through)
                                            < (SELECT coalesce(max(id), 0) FROM audit_log) AS behind`);
    if (!Number(behind.rows[0].behind)) return taken;
    const [before, , moved] = await writer.batch([
      'SELECT audit_id FROM audit_uli_lookup_through',
      {
        sql: `INSERT OR IGNORE INTO audit_uli_lookup (uli, audit_id)
              SELECT p.uli, p.audit_id FROM audit_patients p, audit_uli_lookup_through t
               WHERE p.audit_id > t.audit_id AND p.audit_id <= t.audit_id + ?
               ORDER BY p.uli, p.audit_id`,
        args: [perWrite],
      },
      {
        // Entries are numbered 1, 2, 3 … with no gap (the append-only trigger), and none can be
        // added while this write holds the lock: every entry up to the new mark is taken in.
        sql: `UPDATE audit_uli_lookup_through
                 SET audit_id = min(audit_id + ?, (SELECT coalesce(max(id), 0) FROM audit_log))
               WHERE audit_id < (SELECT coalesce(max(id), 0) FROM audit_log)
           RETURNING audit_id`,
        args: [perWrite],
      },
    ], 'write');
    if (!moved.rows.length) return taken;
    taken += Number(moved.rows[0].audit_id) - Number(before.rows[0].audit_id);
    await new Promise((r) => setImmediate(r));
  }
}
