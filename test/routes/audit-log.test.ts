import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { recordAudit } from '../../src/domain/audit/audit.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count } from '../support/app.ts';

const auditLog = suite('audit log');
let db: Db;
let app: ReturnType<typeof testApp>['app'];

auditLog.before(async () => {
  db = await freshDb();
  await addUser(db, 'auditor', ['view_audit_log']);
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const scope = { userId: 2, username: 'clerk', fullName: 'Test clerk', permissions: new Set(['cii_cpar_settings'] as const) };
  const at = (iso: string) => new ManualClock(iso);
  await db.execute(`INSERT INTO patients (id, uli, last_name, first_name, birth_date, gender)
    VALUES (1, '123456789', 'Doe', 'Jan', '1980-01-01', 'F'), (2, '223456789', 'Roe', 'Ann', '1980-01-01', 'F')`);
  await recordAudit(db, at('2026-11-01T09:00:00-06:00'), scope, { action: 'view', route: 'GET /x', objectType: 'panel_members', objectId: 1, patientIds: [2] });
  await recordAudit(db, at('2026-11-02T23:30:00-07:00'), scope, { action: 'edit', route: 'POST /y', objectType: 'panel_member', objectId: 1, patientIds: [1] });
  await recordAudit(db, at('2026-11-03T10:00:00-07:00'), scope, { action: 'export', route: 'GET /z.csv', patientIds: [2] });
  for (let i = 0; i < 60; i++) await recordAudit(db, at('2026-10-01T10:00:00-06:00'), null, { action: 'sign-in failed', route: 'POST /login' }, `guess${i}`);
  ({ app } = testApp(db));
});

const ids = (doc: Document) => [...doc.querySelectorAll('#audit tbody tr td:nth-child(4)')].map((td) => td.getAttribute('data-action'));

auditLog('the database refuses to change or remove an entry', async () => {
  for (const sql of ['UPDATE audit_log SET action = \'view\'', 'DELETE FROM audit_log']) {
    try {
      await db.execute(sql);
      assert.unreachable(sql);
    } catch (error) {
      assert.match(String(error), 'append-only');
    }
  }
});

auditLog('newest first, 50 a page, with an older page', async () => {
  const cookie = await signIn(app, 'auditor');
  const doc = await dom(await request(app, 'GET', '/settings/audit-log', { cookie }));
  const actions = ids(doc);
  assert.is(actions.length, 50);
  assert.equal(actions.slice(0, 3), ['sign-in', 'export', 'edit']);
  const older = await dom(await request(app, 'POST', '/settings/audit-log', { cookie, form: { page: '2' } }));
  assert.ok(ids(older).length > 0);
  assert.ok(ids(older).every((a) => a === 'sign-in failed'));
});

auditLog('filters by user, action, patient ULI and Edmonton date range', async () => {
  const cookie = await signIn(app, 'auditor');
  const post = async (form: Record<string, string>) => ids(await dom(await request(app, 'POST', '/settings/audit-log', { cookie, form })));
  assert.equal(await post({ user: 'CLERK' }), ['export', 'edit', 'view']);
  assert.equal(await post({ action: 'export' }), ['export']);
  assert.equal(await post({ user: 'clerk', uli: '123456789' }), ['edit']);
  // 23:30 on the 2nd in Edmonton is the 3rd in UTC: it belongs to the 2nd.
  assert.equal(await post({ from: '2026-11-02', to: '2026-11-02' }), ['edit']);
  const doc = await dom(await request(app, 'POST', '/settings/audit-log', { cookie, form: { uli: '123456789' } }));
  assert.match(doc.querySelector('#audit tbody')?.textContent ?? '', 'Doe, Jan');
});

auditLog('reads like English: permissions, actions and objects in words, the panel\'s name beside its id', async () => {
  const panel = await db.execute("INSERT INTO panels (name, panel_number, cpar_enabled, created_at) VALUES ('Osei Family Practice', 'PNL-1', 1, 0) RETURNING id");
  const panelId = Number(panel.rows[0].id);
  const scope = { userId: 2, username: 'clerk', fullName: 'Test clerk', permissions: new Set(['cii_cpar_settings', 'manage_users'] as const) };
  await recordAudit(db, new ManualClock('2026-11-04T10:00:00-07:00'), scope, { action: 'export', route: 'GET /members.csv', objectType: 'panel_members', objectId: panelId });
  const cookie = await signIn(app, 'auditor');
  const doc = await dom(await request(app, 'POST', '/settings/audit-log', { cookie, form: { from: '2026-11-04', to: '2026-11-04' } }));
  const cells = [...doc.querySelectorAll('#audit tbody tr:first-child td')].map((td) => td.textContent);
  assert.is(cells[2], 'CII/CPAR settings, Modify user permissions');
  assert.is(cells[3], 'Exported');
  assert.is(cells[5], `Panel members ${panelId}Osei Family Practice`);
  assert.is(doc.querySelector('#audit tbody .object-name')?.textContent, 'Osei Family Practice');
  const options = [...doc.querySelectorAll('#audit-action option')].map((o) => o.textContent);
  assert.ok(options.includes('Sign-in failed') && options.includes('Sent to Netcare'), options.join('|'));
  for (const id of ['#audit-from', '#audit-to']) {
    const input = doc.querySelector(id)!;
    assert.is(input.getAttribute('type'), 'text', 'a locale-free text field');
    assert.is(input.getAttribute('placeholder'), 'YYYY-MM-DD');
  }
});

auditLog('bad filter values are named and nothing is searched', async () => {
  const cookie = await signIn(app, 'auditor');
  const res = await request(app, 'POST', '/settings/audit-log', { cookie, form: { uli: '12345', from: '2026-02-30', user: 'clerk' } });
  assert.is(res.status, 422);
  const doc = await dom(res);
  assert.match(doc.querySelector('#audit-uli-error')?.textContent ?? '', '9 digits');
  assert.match(doc.querySelector('#audit-from-error')?.textContent ?? '', 'YYYY-MM-DD');
  assert.is((doc.querySelector('#audit-user') as HTMLInputElement | null)?.getAttribute('value'), 'clerk');
});

auditLog('reading the trail is itself recorded; others get 403 and a denial entry', async () => {
  const before = await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'audit_log'");
  await request(app, 'GET', '/settings/audit-log', { cookie: await signIn(app, 'auditor') });
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'audit_log'"), before + 1);
  const clerk = await signIn(app, 'clerk');
  for (const method of ['GET', 'POST'] as const) {
    assert.is((await request(app, method, '/settings/audit-log', { cookie: clerk })).status, 403);
  }
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'denied' AND username = 'clerk'"), 2);
});

auditLog.run();
