import { recordAudit, type AuditEntry } from '../domain/audit/audit.ts';
import type { AppContext } from './env.ts';

/** Records what the signed-in user did on this request, with its route and request id. */
export function audit(c: AppContext, entry: Omit<AuditEntry, 'route' | 'requestId'>): Promise<void> {
  const { db, clock } = c.var.deps;
  return recordAudit(db, clock, c.var.scope, { ...entry, route: `${c.req.method} ${c.req.path}`, requestId: c.var.requestId });
}
