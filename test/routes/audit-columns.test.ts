import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDb, addUser, testApp, request, signIn } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

// Every column the trail promises (src/domain/audit/audit.ts), asserted for one real request: dropping
// the user's permissions from the entries passed every test before (issue 13).
test('an audited page view records who, with which permissions, did what to which object and patients, when, in which request', async () => {
  const db = await freshDb();
  const userId = await addUser(db, 'clerk', ['view_audit_log', 'cii_cpar_settings']);
  const { panelId, patientIds } = await addClinicPanel(db, { name: 'Audited', patients: 2 });
  const { app, clock } = testApp(db);
  const cookie = await signIn(app, 'clerk');
  const path = `/settings/cii-cpar/panels/${panelId}/members`;
  assert.is((await request(app, 'GET', path, { cookie })).status, 200);
  assert.is((await request(app, 'GET', path, { cookie })).status, 200);
  const rows = (await db.execute("SELECT * FROM audit_log WHERE route LIKE 'GET %/members' ORDER BY id")).rows;
  assert.is(rows.length, 2);
  const [first, row] = rows;
  assert.is(row.at, clock.now().getTime());
  assert.is(row.at_edmonton, '2026-11-10 12:00');
  assert.is(row.user_id, userId);
  assert.is(row.username, 'clerk');
  assert.is(row.permissions, 'cii_cpar_settings,view_audit_log');
  assert.is(row.action, 'view');
  assert.is(row.route, `GET ${path}`);
  assert.is(row.object_type, 'panel_members');
  assert.is(row.object_id, String(panelId));
  assert.is(row.patient_count, patientIds.length);
  assert.match(String(row.request_id), /^[0-9a-f-]{36}$/);
  assert.is.not(row.request_id, first.request_id, 'each request its own id');
  assert.is(row.disclosed_ulis, null);
  assert.is(row.prev_hash, (await db.execute({ sql: 'SELECT hash FROM audit_log WHERE id = ?', args: [Number(row.id) - 1] })).rows[0].hash);
  assert.match(String(row.hash), /^[0-9a-f]{64}$/);
  const named = (await db.execute({ sql: 'SELECT patient_id FROM audit_patients WHERE audit_id = ? ORDER BY patient_id', args: [row.id] })).rows;
  assert.equal(named.map((r) => r.patient_id), [...patientIds].sort((a, b) => a - b));
});

test.run();
