import type { InStatement } from '@libsql/client';
import type { Db } from './db.ts';
import type { Clock } from './clock.ts';
import type { Scope } from './permissions.ts';
import { formatEdmontonDateTime } from './edmonton.ts';

export type AuditAction = 'view' | 'create' | 'edit' | 'delete' | 'export' | 'submit' | 'sign-in' | 'sign-in failed' | 'denied';

/** A patient named in the trail: the law asks for the PHN and the name. */
export type AuditedPatient = { uli: string; name: string };

export type AuditEntry = {
  action: AuditAction;
  route: string;
  objectType?: string;
  objectId?: string | number;
  /** the patients concerned, when few; for a list, give patientCount instead */
  patients?: AuditedPatient[];
  patientCount?: number;
  requestId?: string;
};

/** The statement that appends one entry, to run alone or in a batch with the change it records. */
export function auditStatement(clock: Clock, scope: Scope | null, entry: AuditEntry, username?: string): InStatement {
  const now = clock.now();
  return {
    sql: `INSERT INTO audit_log (at, at_edmonton, user_id, username, permissions, action, route, object_type, object_id,
            patients, patient_count, request_id)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      now.getTime(), formatEdmontonDateTime(now), scope?.userId ?? null, scope?.username ?? username ?? null,
      scope ? [...scope.permissions].sort().join(',') : '', entry.action, entry.route, entry.objectType ?? null,
      entry.objectId === undefined ? null : String(entry.objectId),
      entry.patients ? JSON.stringify(entry.patients) : null,
      entry.patientCount ?? entry.patients?.length ?? null, entry.requestId ?? null,
    ],
  };
}

/** Appends one entry to the audit trail. The trail itself refuses updates and deletes. */
export async function recordAudit(db: Db, clock: Clock, scope: Scope | null, entry: AuditEntry, username?: string): Promise<void> {
  await db.execute(auditStatement(clock, scope, entry, username));
}
