import { createHash } from 'node:crypto';
import type { Db } from '../database/db.ts';

/**
 * What an entry's hash covers, as SQL over its columns (a table alias or a subquery's) and
 * its patients' JSON list: every column it promises, in this order. Writing and verifying
 * build the text with the same function, so a value reads the same both times.
 */
export function contentSql(row: string, patients: string): string {
  const cols = ['id', 'at', 'at_edmonton', 'user_id', 'username', 'permissions', 'action', 'route', 'object_type', 'object_id',
    'patient_count', 'request_id', 'disclosed_ulis'].map((c) => `${row}.${c}`);
  return `json_array(${cols.join(', ')}, json(${patients}))`;
}

/** The JSON list of a stored entry's patients, in the order they were named. */
export const STORED_PATIENTS = (row: string) =>
  `(SELECT json_group_array(json_array(p.patient_id, p.uli, p.name))
      FROM (SELECT patient_id, uli, name FROM audit_patients WHERE audit_id = ${row}.id ORDER BY position) p)`;

/** SHA3-256 of the previous hash (empty for the first entry) followed by the content, in hex. */
export const hashSql = (prev: string, content: string) => `lower(hex(sha3(coalesce(${prev}, '') || ${content})))`;

export type ChainCheck =
  | { ok: true; entries: number; head: string | null }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/**
 * Walks the trail in id order and recomputes every hash here, with Node's SHA3-256, from
 * the content the database reads back: the first entry whose hash or link does not match is
 * the first one changed (or the one after a removed entry).
 */
export async function verifyChain(db: Db, batch = 2000): Promise<ChainCheck> {
  let prev: string | null = null;
  let entries = 0;
  for (let after = 0; ;) {
    const rows = (await db.execute({
      sql: `SELECT a.id, a.prev_hash, a.hash, ${contentSql('a', STORED_PATIENTS('a'))} AS content
              FROM audit_log a WHERE a.id > ? ORDER BY a.id LIMIT ?`,
      args: [after, batch],
    })).rows;
    for (const r of rows) {
      const id = Number(r.id);
      const expected: string = createHash('sha3-256').update((prev ?? '') + String(r.content)).digest('hex');
      if (r.prev_hash !== prev) return { ok: false, entries, brokenAt: id, reason: 'its link to the previous entry does not match' };
      if (r.hash !== expected) return { ok: false, entries, brokenAt: id, reason: 'its content does not match its hash' };
      prev = expected;
      entries += 1;
    }
    if (rows.length < batch) return { ok: true, entries, head: prev };
    after = Number(rows[rows.length - 1].id);
    await new Promise((r) => setImmediate(r));
  }
}
