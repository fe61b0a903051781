import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, addSubmission, testApp, request, signIn, dom, count } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

const page = suite('Registry feedback page');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let panel: { panelId: number; patientIds: number[] };
let items: { mismatch: number; conflict: number };
const URL = () => `/settings/cii-cpar/panels/${panel.panelId}/registry`;

page.before(async () => {
  db = await freshDb();
  await addUser(db, 'physician');
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  panel = await addClinicPanel(db, { name: 'Dr. Fed', patients: 4 });
  const march = await addSubmission(db, panel.panelId, { status: 'Submitted', createdAt: '2026-03-15T21:00:00-06:00', patientCount: 4 });
  const october = await addSubmission(db, panel.panelId, { status: 'Submitted', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 4 });
  await db.execute({ sql: 'UPDATE submissions SET registry_counted = 2 WHERE id IN (?, ?)', args: [march, october] });
  const insert = (patient: number, kind: string, detail: object, since: number) => db.execute({
    sql: `INSERT INTO registry_exceptions (submission_id, panel_id, uli, kind, detail, open_since_submission_id)
          VALUES (?, ?, (SELECT uli FROM patients WHERE id = ?), ?, ?, ?) RETURNING id`,
    args: [october, panel.panelId, patient, kind, JSON.stringify(detail), since],
  });
  items = {
    mismatch: Number((await insert(panel.patientIds[1], 'mismatch', { fields: [{ field: 'lastName', clinic: 'Testperson', registry: 'Testpersson' }] }, october)).rows[0].id),
    conflict: Number((await insert(panel.patientIds[0], 'conflict', { provider: 'Dr. Elsewhere', clinic: 'Far Clinic', confirmedOn: '2025-01-10' }, march)).rows[0].id),
  };
  ({ app } = testApp(db));
});

page('only CII/CPAR settings may open it or act on it', async () => {
  const cookie = await signIn(app, 'physician');
  assert.is((await request(app, 'GET', URL(), { cookie })).status, 403);
  assert.is((await request(app, 'POST', `${URL()}/${items.conflict}`, { cookie, form: { action: 'contacted' } })).status, 403);
  assert.is(await count(db, 'SELECT count(*) FROM registry_actions'), 0);
});

page('the Submissions row says how many the registry counted and links here', async () => {
  const doc = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie: await signIn(app, 'clerk') }));
  const link = doc.querySelector(`#panel-${panel.panelId} td.status a.counted`)!;
  assert.is(link.textContent?.trim(), '2 of 4 counted');
  assert.is(link.getAttribute('href'), URL());
});

page('both worklists, side by side and since when; viewing is audited with the patients shown', async () => {
  const doc = await dom(await request(app, 'GET', URL(), { cookie: await signIn(app, 'clerk') }));
  assert.match(doc.querySelector('#feedback-summary')?.textContent ?? '', '2 of 4');
  const mismatch = doc.querySelector(`#item-${items.mismatch}`)!;
  assert.match(mismatch.textContent ?? '', /Family name\s*Ours: Testperson\s*Registry: Testpersson/);
  assert.match(mismatch.textContent ?? '', 'New');
  const conflict = doc.querySelector(`#item-${items.conflict}`)!;
  assert.match(conflict.textContent ?? '', 'Dr. Elsewhere');
  assert.match(conflict.textContent ?? '', 'Open since March 2026');
  const seen = await db.execute("SELECT patient_count FROM audit_log WHERE object_type = 'registry_feedback' AND action = 'view' ORDER BY id DESC LIMIT 1");
  assert.is(Number(seen.rows[0].patient_count), 2);
});

page('recording an action redirects back and shows who did what; a bad date is refused and nothing is recorded', async () => {
  const cookie = await signIn(app, 'clerk');
  const bad = await request(app, 'POST', `${URL()}/${items.conflict}`, { cookie, form: { action: 'confirmed', confirmedOn: '2099-01-01' } });
  assert.is(bad.status, 422);
  assert.match((await dom(bad)).querySelector('#feedback-error')?.textContent ?? '', 'cannot be in the future');
  assert.is(await count(db, 'SELECT count(*) FROM registry_actions'), 0);
  const done = await request(app, 'POST', `${URL()}/${items.conflict}`, { cookie, form: { action: 'contacted' } });
  assert.is(done.status, 303);
  assert.is(done.headers.get('Location'), `${URL()}?recorded=contacted#item-${items.conflict}`);
  const doc = await dom(await request(app, 'GET', `${URL()}?recorded=contacted`, { cookie }));
  assert.match(doc.querySelector('#feedback-notice')?.textContent ?? '', 'the patient was contacted');
  assert.match(doc.querySelector(`#item-${items.conflict} .done`)?.textContent ?? '', /Contacted the patient\s*— Test clerk/);
  assert.is((await request(app, 'POST', `${URL()}/${items.conflict}`, { cookie, form: { action: 'approved' } })).status, 422);
  assert.is((await request(app, 'POST', `${URL()}/987654`, { cookie, form: { action: 'contacted' } })).status, 404);
});

page('the registry’s inbox message leads to this page', async () => {
  const clerk = Number((await db.execute("SELECT id FROM users WHERE username = 'clerk'")).rows[0].id);
  const id = Number((await db.execute({
    sql: "INSERT INTO inbox_messages (recipient_id, subject, body, created_at, panel_id, submission_id, kind) VALUES (?, 'CPAR registry feedback', 'b', 1, ?, NULL, 'registry') RETURNING id",
    args: [clerk, panel.panelId],
  })).rows[0].id);
  const doc = await dom(await request(app, 'GET', `/inbox/${id}`, { cookie: await signIn(app, 'clerk') }));
  assert.is(doc.querySelector('a#fix-link')?.getAttribute('href'), URL());
});

page('an item whose ULI no patient has now shows the ULI the registry named, and cannot be acted on', async () => {
  const cookie = await signIn(app, 'clerk');
  const uli = String((await db.execute({ sql: 'SELECT uli FROM patients WHERE id = ?', args: [panel.patientIds[1]] })).rows[0].uli);
  await db.execute({ sql: "UPDATE patients SET uli = '199999999' WHERE id = ?", args: [panel.patientIds[1]] });
  try {
    const row = (await dom(await request(app, 'GET', URL(), { cookie }))).querySelector(`#item-${items.mismatch} th`)!;
    assert.ok(row, 'the item is listed');
    assert.match(row.textContent ?? '', `No patient in the clinical record has this ULI now ${uli}`);
    assert.is(row.closest('tr')?.querySelectorAll('form').length, 0, 'no action is offered');
    const refused = await request(app, 'POST', `${URL()}/${items.mismatch}`, { cookie, form: { action: 'contacted' } });
    assert.is(refused.status, 422);
    assert.match((await dom(refused)).querySelector('#feedback-error')?.textContent ?? '', 'No patient in the clinical record has the ULI the registry named');
    assert.is(await count(db, `SELECT count(*) FROM registry_actions WHERE exception_id = ${items.mismatch}`), 0);
  } finally {
    await db.execute({ sql: 'UPDATE patients SET uli = ? WHERE id = ?', args: [uli, panel.patientIds[1]] });
  }
});

page.run();
