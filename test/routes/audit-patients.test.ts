// Issue 13: "who saw this patient?" Every screen and change that shows or touches a patient
// is found by the audit page's ULI filter, whatever the size of the list it was part of.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addSubmission, addUser, dom, freshDb, ORIGIN, request, signIn, testApp } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

const base = (panelId: number) => `/settings/cii-cpar/panels/${panelId}`;

test('the ULI filter finds every view, export, search and change of the patient, each by its own entry', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'auditor', ['view_audit_log']);
  const { app } = testApp(db);
  const clerk = await signIn(app, 'clerk');
  const auditor = await signIn(app, 'auditor');
  // A is 4 patients, the last two unconfirmed; the outsider is on no panel yet.
  const a = await addClinicPanel(db, { name: 'A', patients: 2, withoutConfirmation: 2 });
  const outsiderPanel = await addClinicPanel(db, { name: 'Elsewhere', cpar: false, patients: 1 });
  const [, other, target, unconfirmed] = a.patientIds;
  const outsider = outsiderPanel.patientIds[0];
  const uli = async (id: number) => String((await db.execute({ sql: 'SELECT uli FROM patients WHERE id = ?', args: [id] })).rows[0].uli);
  const form = (pairs: [string, string][]) => ({
    method: 'POST', body: new URLSearchParams(pairs).toString(), redirect: 'manual' as const,
    headers: { Cookie: clerk, Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  const post = (path: string, pairs: [string, string][]) => app.request(`${ORIGIN}${path}`, form([['return_to', `${base(a.panelId)}/members`], ...pairs]));
  const lastChange = async () => Number((await db.execute('SELECT max(id) AS id FROM member_changes')).rows[0].id);
  const ok = (res: Response, path: string) => assert.ok([200, 303].includes(res.status), `${path}: ${res.status}`);

  ok(await request(app, 'GET', `${base(a.panelId)}/members`, { cookie: clerk }), 'members page');
  ok(await request(app, 'POST', `${base(a.panelId)}/members.csv`, { cookie: clerk }), 'export');
  const submission = await addSubmission(db, a.panelId, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 4 });
  await db.execute({ sql: "INSERT INTO submission_problems (submission_id, reason, patient_id) VALUES (?, 'no_confirmation_date', ?), (?, 'no_confirmation_date', ?)",
    args: [submission, target, submission, unconfirmed] });
  ok(await request(app, 'GET', `/settings/cii-cpar/submissions/${submission}`, { cookie: clerk }), 'problems page');
  ok(await request(app, 'POST', `${base(a.panelId)}/members/${target}/confirmation`, { cookie: clerk, form: { return_to: `${base(a.panelId)}/members` } }), 'confirm one');
  ok(await post(`${base(a.panelId)}/confirmations`, [['confirmed_on', '2026-11-01'], ['patient_id', String(unconfirmed)]]), 'bulk confirm');
  ok(await post(`${base(a.panelId)}/reconfirmations`, [['confirm', 'yes'], ['confirmed_on', '2026-11-02'], ['patient_id', String(target)], ['patient_id', String(other)]]), 'reconfirm');
  ok(await post(`${base(a.panelId)}/member-changes/${await lastChange()}/undo`, []), 'undo the reconfirmation');
  ok(await post(`${base(a.panelId)}/removals`, [['confirm', 'yes'], ['patient_id', String(target)]]), 'bulk remove');
  ok(await post(`${base(a.panelId)}/member-changes/${await lastChange()}/undo`, []), 'undo the removal');
  ok(await request(app, 'POST', `${base(a.panelId)}/members/${target}/removal`, { cookie: clerk, form: { return_to: `${base(a.panelId)}/members` } }), 'remove one');
  ok(await request(app, 'POST', `${base(a.panelId)}/candidates/search`, { cookie: clerk, form: { q: await uli(outsider) } }), 'candidate search');
  ok(await request(app, 'POST', `${base(a.panelId)}/members`, { cookie: clerk, form: { q: '', patient_id: String(outsider) } }), 'add');

  const found = async (id: number) => {
    const doc = await dom(await request(app, 'POST', '/settings/audit-log', { cookie: auditor, form: { uli: await uli(id), user: 'clerk' } }));
    return [...doc.querySelectorAll('#audit tbody tr')].reverse().map((tr) => {
      const cells = [...tr.querySelectorAll('td')];
      return `${cells[3].getAttribute('data-action')} ${cells[4].textContent}`;
    });
  };
  const members = `${base(a.panelId)}/members`;
  assert.equal(await found(target), [
    `view GET ${members}`, `export POST ${members}.csv`, `view GET /settings/cii-cpar/submissions/${submission}`,
    `edit POST ${members}/${target}/confirmation`,
    `edit POST ${base(a.panelId)}/reconfirmations`, `edit POST ${base(a.panelId)}/member-changes/2/undo`,
    `delete POST ${base(a.panelId)}/removals`, `edit POST ${base(a.panelId)}/member-changes/3/undo`,
    `delete POST ${members}/${target}/removal`,
  ]);
  assert.equal(await found(unconfirmed), [
    `view GET ${members}`, `export POST ${members}.csv`, `view GET /settings/cii-cpar/submissions/${submission}`,
    `edit POST ${base(a.panelId)}/confirmations`,
  ]);
  assert.equal(await found(outsider), [`view POST ${base(a.panelId)}/candidates/search`, `create POST ${members}`]);
});

test.run();
