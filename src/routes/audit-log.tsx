import { Hono } from 'hono';
import { parseAuditFilter, searchAudit } from '../domain/audit/audit-query.ts';
import { AuditPage } from '../views/audit-page.tsx';
import { page, type AppContext, type AppEnv } from './env.ts';
import { requirePermission } from './guard.tsx';
import { audit } from './audit.ts';
import { patientAccessRoutes } from './patient-access.tsx';

async function show(c: AppContext, query: Record<string, string | undefined>) {
  const { filter, problems } = parseAuditFilter(query);
  const { rows, hasNext } = problems.length ? { rows: [], hasNext: false } : await searchAudit(c.var.deps.db, filter);
  // The trail names patients: reading it is itself an access to health information.
  const shown = rows.flatMap((r) => r.patients.flatMap((p) => (p.patientId === null ? [] : [p.patientId])));
  await audit(c, { action: 'view', objectType: 'audit_log', patientIds: shown });
  return page(c, <AuditPage rows={rows} hasNext={hasNext} filter={filter} problems={problems} chrome={c.var.chrome} />,
    problems.length ? 422 : 200);
}

export const auditLogRoutes = new Hono<AppEnv>()
  .use(requirePermission('view_audit_log'))
  .get('/', (c) => show(c, {}))
  .route('/patient-access', patientAccessRoutes)
  // Filtering is a POST so that a patient's ULI never travels in a URL.
  .post('/', async (c) => {
    const form = await c.req.parseBody();
    const query = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
    return show(c, query);
  });
