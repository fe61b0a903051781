import { Hono } from 'hono';
import { edmontonDate, formatEdmontonDateTime } from '../domain/time/edmonton.ts';
import { findPatient, patientAccessReport } from '../domain/audit/patient-access.ts';
import { PatientAccessPage, PatientAccessPrint } from '../views/patient-access-page.tsx';
import { patientAccessCsv, patientAccessCsvFileName } from '../views/patient-access-csv.ts';
import { page, type AppEnv } from './env.ts';
import { audit } from './audit.ts';

const FORMATS = ['page', 'print', 'csv'] as const;

// Mounted inside the audit log's routes, behind view_audit_log. The ULI arrives in a POST body
// only: it never enters a URL, a history or a server log.
export const patientAccessRoutes = new Hono<AppEnv>()
  .get('/', (c) => page(c, <PatientAccessPage chrome={c.var.chrome} />))
  .post('/', async (c) => {
    const form = await c.req.parseBody();
    const uli = typeof form.uli === 'string' ? form.uli.trim() : '';
    const format = FORMATS.find((f) => f === (form.format ?? 'page'));
    if (!/^\d{9}$/.test(uli) || !format) {
      return page(c, <PatientAccessPage chrome={c.var.chrome} uli={uli.slice(0, 20)} problem="A ULI is 9 digits." />, 422);
    }
    const { db, clock } = c.var.deps;
    const patient = await findPatient(db, uli);
    // Recorded first, so the report lists its own production as the latest access.
    await audit(c, { action: format === 'csv' ? 'export' : 'view', objectType: 'patient_access_report', patientIds: patient ? [patient.id] : [] });
    const report = await patientAccessReport(db, uli);
    const now = clock.now();
    if (format === 'csv') {
      return c.body(patientAccessCsv(report), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${patientAccessCsvFileName(edmontonDate(now))}"`,
      });
    }
    if (format === 'print') {
      return page(c, <PatientAccessPrint report={report} producedAt={formatEdmontonDateTime(now)} producedBy={c.var.scope.fullName} />);
    }
    return page(c, <PatientAccessPage chrome={c.var.chrome} uli={uli} report={report} />);
  });
