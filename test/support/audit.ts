import type { Db } from '../../src/domain/database/db.ts';

/** An audit entry as the trail promises it: what, and every patient it names (ids and ULIs, in order). */
export type AuditedEntry = { object_type: unknown; object_id: unknown; patient_count: unknown; patientIds: number[]; ulis: string[] };

/** The entries of an action, oldest first, each with the patients it names. */
export async function auditEntries(db: Db, action: string): Promise<AuditedEntry[]> {
  const rows = (await db.execute({
    sql: `SELECT a.object_type, a.object_id, a.patient_count,
                 (SELECT json_group_array(json_array(p.patient_id, p.uli))
                    FROM (SELECT patient_id, uli FROM audit_patients WHERE audit_id = a.id ORDER BY position) p) AS named
            FROM audit_log a WHERE a.action = ? ORDER BY a.id`,
    args: [action],
  })).rows;
  return rows.map((r) => {
    const named = JSON.parse(String(r.named)) as [number, string][];
    return { object_type: r.object_type, object_id: r.object_id, patient_count: r.patient_count,
      patientIds: named.map(([id]) => id), ulis: named.map(([, uli]) => uli) };
  });
}

/** The newest entry of an action. */
export async function lastAudit(db: Db, action: string): Promise<AuditedEntry> {
  const entries = await auditEntries(db, action);
  return entries[entries.length - 1];
}
