// Issue 13: the patient access report — every access to one patient's information, for a
// user with view_audit_log, as a page, a printable view and a CSV; producing it is audited.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import type { Db } from '../../src/domain/database/db.ts';
import { disclosure } from '../../src/domain/submissions/send-outcome.ts';
import { addSubmission, addUser, dom, freshDb, request, signIn, testApp } from '../support/app.ts';
import { lastAudit } from '../support/audit.ts';
import { addClinicPanel } from '../support/clinic.ts';

const report = suite('patient access report');
const PATH = '/settings/audit-log/patient-access';
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let auditor: string;
let patient: number;
let uli: string;
let submission: number;
let panelId: number;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

report.before(async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'auditor', ['view_audit_log', 'manage_users']);
  const clock = new ManualClock('2026-11-10T12:00:00-07:00');
  ({ app } = testApp(db, clock));
  const panel = await addClinicPanel(db, { name: 'Osei Family Practice', patients: 2 });
  panelId = panel.panelId;
  patient = panel.patientIds[1];
  uli = String((await db.execute({ sql: 'SELECT uli FROM patients WHERE id = ?', args: [patient] })).rows[0].uli);
  const clerk = await signIn(app, 'clerk');
  await request(app, 'GET', `/settings/cii-cpar/panels/${panelId}/members`, { cookie: clerk });
  clock.advance(60_000);
  await request(app, 'POST', `/settings/cii-cpar/panels/${panelId}/members.csv`, { cookie: clerk });
  // The scheduler's send: its entry keeps every ULI of the message it sent.
  submission = await addSubmission(db, panelId, { status: 'Submitted', createdAt: '2026-11-10T12:02:00-07:00', patientCount: 2 });
  await db.execute({ sql: "UPDATE submissions SET netcare_reference = 'NC-77' WHERE id = ?", args: [submission] });
  clock.advance(60_000);
  const ulis = (await db.execute({ sql: 'SELECT uli FROM patients WHERE id IN (?, ?) ORDER BY id', args: panel.patientIds })).rows.map((r) => String(r.uli));
  await db.batch(disclosure(clock, panelId, { count: 2, ulis: JSON.stringify(ulis) }, submission), 'write');
  auditor = await signIn(app, 'auditor');
});

report('lists who, role, when, what, screen and each disclosure to Netcare, and its own production last', async () => {
  const res = await request(app, 'POST', PATH, { cookie: auditor, form: { uli } });
  assert.is(res.status, 200);
  const doc = await dom(res);
  const rows = [...doc.querySelectorAll('#accesses tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => text(td)));
  assert.equal(rows, [
    ['2026-11-10 12:00', 'clerk', 'CII/CPAR settings', 'Viewed', `GET /settings/cii-cpar/panels/${panelId}/members`, `Panel members ${panelId}Osei Family Practice`],
    ['2026-11-10 12:01', 'clerk', 'CII/CPAR settings', 'Exported', `POST /settings/cii-cpar/panels/${panelId}/members.csv`, `Panel members ${panelId}Osei Family Practice`],
    ['2026-11-10 12:02', 'CPAR scheduler', '—', 'Sent to Netcare', 'pipeline: send to Netcare',
      `Panel ${panelId}Osei Family PracticeDisclosed to Alberta Netcare (CPAR) in submission ${submission} of panel Osei Family Practice, Submitted, Netcare reference NC-77`],
    ['2026-11-10 12:02', 'auditor', 'Modify user permissions, View the audit log', 'Viewed', `POST ${PATH}`, 'Patient access report'],
  ]);
  assert.match(text(doc.querySelector('.report-summary')), 'Testperson, Pat1, born 1980-05-17');
  assert.match(text(doc.querySelector('.report-summary')), '4, of which 1 disclosure to Netcare');
  for (const form of doc.querySelectorAll('form')) assert.not.match(form.getAttribute('action') ?? '', uli, 'no ULI in any URL');
  assert.ok(doc.querySelector(`form[action="${PATH}"] input[name=format][value=csv]`));
  assert.ok(doc.querySelector(`form[action="${PATH}"] input[name=format][value=print]`));
  const own = await lastAudit(db, 'view');
  assert.equal({ ...own, patientIds: own.patientIds }, { object_type: 'patient_access_report', object_id: null, patient_count: 1, patientIds: [patient], ulis: [uli] });
});

report('the printable view has the report without the portal menus; producing it is recorded', async () => {
  const doc = await dom(await request(app, 'POST', PATH, { cookie: auditor, form: { uli, format: 'print' } }));
  assert.not.ok(doc.querySelector('header.top'), 'no menus');
  assert.is(text(doc.querySelector('h1')), 'Patient access report');
  assert.match(text(doc.querySelector('.meta')), 'by Test auditor');
  assert.ok(doc.querySelectorAll('#accesses tbody tr').length >= 4);
  assert.equal((await lastAudit(db, 'view')).ulis, [uli]);
});

report('the CSV download has every access, a file name without the ULI, and is recorded as an export of the patient', async () => {
  const res = await request(app, 'POST', PATH, { cookie: auditor, form: { uli, format: 'csv' } });
  assert.is(res.status, 200);
  assert.match(res.headers.get('Content-Type') ?? '', 'text/csv');
  assert.is(res.headers.get('Content-Disposition'), 'attachment; filename="patient-access-2026-11-10.csv"');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark, for Excel');
  const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
  assert.is(lines[0], 'When (Edmonton),Who,Role (permissions),What,Screen,About,Disclosure to Netcare');
  assert.ok(lines.some((l) => l.includes(`Disclosed to Alberta Netcare (CPAR) in submission ${submission}`)));
  assert.ok(lines.some((l) => l.startsWith('2026-11-10 12:02,auditor,') && l.includes(',Exported,')), 'lists its own production');
  assert.equal(await lastAudit(db, 'export'), { object_type: 'patient_access_report', object_id: null, patient_count: 1, patientIds: [patient], ulis: [uli] });
});

report('a bad ULI is refused with the reason; only view_audit_log holders reach the report', async () => {
  const bad = await request(app, 'POST', PATH, { cookie: auditor, form: { uli: '12345' } });
  assert.is(bad.status, 422);
  assert.match(text((await dom(bad)).querySelector('#report-uli-error')), '9 digits');
  const clerk = await signIn(app, 'clerk');
  assert.is((await request(app, 'GET', PATH, { cookie: clerk })).status, 403);
  assert.is((await request(app, 'POST', PATH, { cookie: clerk, form: { uli } })).status, 403);
  const audit = await dom(await request(app, 'GET', '/settings/audit-log', { cookie: auditor }));
  assert.ok(audit.querySelector(`a[href="${PATH}"]`), 'the audit page links to the report');
});

report.run();
