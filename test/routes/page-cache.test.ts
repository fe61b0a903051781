// Issue 16: the Submissions and members pages are answered from what was read at the data's
// version (migration 025), and a polled row answers 304 while nothing it shows changed. Each
// write path that matters must show on the next request: a queue, a send, a confirmation, a
// member change, an import. And a 304 is never an answer to someone without the permission.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { tick } from '../../src/domain/pipeline/runs.ts';
import { importClinicalRecord } from '../../src/domain/import/import.ts';
import { adapt } from '../../src/netcare-connection.ts';
import { startTestSimulator } from '../netcare/support/simulator.ts';
import { addClinicPanel } from '../support/clinic.ts';
import { addUser, dom, freshDb, request, signIn, testApp } from '../support/app.ts';

const cache = suite('pages at the data version');
const SUBMISSIONS = '/settings/cii-cpar/submissions';
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let clock: ManualClock;
let cookie: string;
let readerCookie: string;
let panel: { panelId: number; patientIds: number[] };
let other: { panelId: number; patientIds: number[] };

cache.before(async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'reader', ['view_audit_log']);
  panel = await addClinicPanel(db, { name: 'Alpha clinic', number: 'PNL-1', patients: 2, withoutConfirmation: 1 });
  other = await addClinicPanel(db, { name: 'Bravo clinic', number: 'PNL-2', patients: 2 });
  ({ app, clock } = testApp(db));
  cookie = await signIn(app, 'clerk');
  readerCookie = await signIn(app, 'reader');
});
cache.after(() => db.close());

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

async function row(panelId: number, path = SUBMISSIONS) {
  const res = await request(app, 'GET', path, { cookie });
  assert.is(res.status, 200);
  return text((await dom(res)).querySelector(`#panel-${panelId}`));
}

async function members(panelId: number) {
  const res = await request(app, 'GET', `/settings/cii-cpar/panels/${panelId}/members`, { cookie });
  assert.is(res.status, 200);
  const doc = await dom(res);
  return { summary: text(doc.querySelector('#members-summary')), list: text(doc.querySelector('#members')) };
}

const poll = (panelId: number, headers: Record<string, string> = {}, as = cookie) =>
  request(app, 'GET', `/settings/cii-cpar/panels/${panelId}/submission`, { cookie: as, htmx: true, headers });

cache('the Submissions page (both orders) shows a confirmation, a member change and an import on the next request', async () => {
  for (const path of [SUBMISSIONS, `${SUBMISSIONS}?sort=status`]) assert.match(await row(panel.panelId, path), 'no confirmation date');
  const unconfirmed = panel.patientIds[2];
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${panel.panelId}/members/${unconfirmed}/confirmation`, { cookie, form: {} });
  assert.is(res.status, 303);
  for (const path of [SUBMISSIONS, `${SUBMISSIONS}?sort=status`]) assert.not.match(await row(panel.panelId, path), 'no confirmation date');
  const before = await row(other.panelId);
  // A member change: one of Alpha's patients joins Bravo (added from the candidates page).
  const added = await request(app, 'POST', `/settings/cii-cpar/panels/${other.panelId}/members`, { cookie, form: { patient_id: String(panel.patientIds[0]) } });
  assert.is(added.status, 303);
  assert.not.equal(await row(other.panelId), before, 'the added member changed Bravo’s row');
  // An import renames the panel: the page (sorted by name) shows the new name.
  const imported = await importClinicalRecord(db, clock, {
    practitioners: [{ key: 'dr', name: 'Dr. Import', practitionerId: '654321' }], patients: [], visits: [],
    panels: [{ key: 'renamed', name: 'Aardvark clinic', practitioners: ['dr'], panelNumber: 'PNL-9', cparEnabled: true, failureRecipient: null, members: [] }],
  });
  assert.ok(imported.ok, JSON.stringify(imported));
  const doc = await dom(await request(app, 'GET', SUBMISSIONS, { cookie }));
  assert.match(text(doc.querySelector('#submissions tbody tr')), 'Aardvark clinic');
});

cache('the members page shows a confirmation, a removal and an import on the next request', async () => {
  const first = await members(other.panelId);
  const removed = await request(app, 'POST', `/settings/cii-cpar/panels/${other.panelId}/members/${other.patientIds[0]}/removal`, { cookie, form: {} });
  assert.is(removed.status, 303);
  const second = await members(other.panelId);
  assert.not.equal(second.list, first.list, 'the removed member left the list');
  // An import changes a member's family name (the patient is matched by its key).
  await db.execute({ sql: "UPDATE patients SET key = 'x' WHERE id = ?", args: [other.patientIds[1]] });
  assert.not.match((await members(other.panelId)).list, 'Zyxwvut');
  const name = (await db.execute({ sql: 'SELECT uli, first_name, birth_date, gender FROM patients WHERE id = ?', args: [other.patientIds[1]] })).rows[0];
  const imported = await importClinicalRecord(db, clock, {
    practitioners: [], visits: [], panels: [],
    patients: [{ key: 'x', uli: String(name.uli), lastName: 'Zyxwvut', firstName: String(name.first_name), birthDate: String(name.birth_date), gender: String(name.gender), status: 'active' }],
  });
  assert.ok(imported.ok, JSON.stringify(imported));
  assert.match((await members(other.panelId)).list, 'Zyxwvut');
});

cache('a kept members page still writes its audit entry and a row per patient shown, every time', async () => {
  const views = () => db.execute({ sql: `SELECT a.id, (SELECT count(*) FROM audit_patients p WHERE p.audit_id = a.id) AS n FROM audit_log a
    WHERE a.action = 'view' AND a.object_type = 'panel_members' AND a.object_id = ? ORDER BY a.id`, args: [String(panel.panelId)] });
  const before = (await views()).rows.length;
  for (let i = 0; i < 3; i++) await members(panel.panelId);
  const after = (await views()).rows.slice(before);
  assert.is(after.length, 3);
  for (const r of after) assert.is(Number(r.n), 3, 'each view names the three members shown');
});

cache('a kept page is the day’s: a confirmation dated tomorrow is in the future today, not tomorrow (Submissions and members)', async () => {
  const day = (iso: string) => clock.set(new Date(iso));
  await db.execute({ sql: "UPDATE panel_members SET confirmed_on = '2026-11-11' WHERE panel_id = ? AND patient_id = ?", args: [other.panelId, other.patientIds[1]] });
  const future = 'confirmation date in the future';
  assert.match((await members(other.panelId)).summary, future);
  assert.match(await row(other.panelId), future);
  day('2026-11-11T12:00:00-07:00');
  cookie = await signIn(app, 'clerk');
  assert.not.match((await members(other.panelId)).summary, future);
  assert.not.match(await row(other.panelId), future);
  day('2026-11-10T12:00:00-07:00');
  cookie = await signIn(app, 'clerk');
  readerCookie = await signIn(app, 'reader');
});

cache('a polled row answers 304 until the panel is queued and then sent; the row shows each', async () => {
  const first = await poll(panel.panelId);
  assert.is(first.status, 200);
  const etag = first.headers.get('ETag');
  assert.ok(etag);
  assert.is(first.headers.get('Cache-Control'), 'private, no-cache');
  const same = await poll(panel.panelId, { 'If-None-Match': etag! });
  assert.is(same.status, 304);
  assert.is(await same.text(), '');
  // A queue (the Submit button): the same tag is answered with the Queued row.
  const queued = await request(app, 'POST', `/settings/cii-cpar/panels/${panel.panelId}/submissions`, { cookie, htmx: true, form: { anyway: 'yes' } });
  assert.is(queued.status, 200);
  const afterQueue = await poll(panel.panelId, { 'If-None-Match': etag! });
  assert.is(afterQueue.status, 200);
  assert.match(text((await dom(afterQueue)).querySelector('tr')), 'Queued');
  assert.match(await row(panel.panelId), 'Queued');
  const queuedTag = afterQueue.headers.get('ETag')!;
  assert.is.not(queuedTag, etag);
  // The send at 21:00 by the real pipeline and the simulator: the row is Pending.
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 60_000 });
  try {
    clock.set(new Date('2026-11-10T21:00:00-07:00'));
    const netcare = adapt(simulator.url, 'test simulator', 'test-installation', { retryBudgetMs: 1_000, timeoutMs: 2_000, baseDelayMs: 20 });
    await tick({ db, clock, netcare, workerId: 'test-worker' });
  } finally {
    await simulator.close();
  }
  // Nine hours on, the sessions have idled out: sign in again.
  cookie = await signIn(app, 'clerk');
  readerCookie = await signIn(app, 'reader');
  const afterSend = await poll(panel.panelId, { 'If-None-Match': queuedTag });
  assert.is(afterSend.status, 200);
  const sentRow = text((await dom(afterSend)).querySelector('tr'));
  assert.match(sentRow, 'Pending', sentRow);
  assert.match(await row(panel.panelId), 'Pending');
});

cache('a 304 is never served without the permission, nor without a session', async () => {
  const tag = (await poll(panel.panelId)).headers.get('ETag')!;
  assert.is((await poll(panel.panelId, { 'If-None-Match': tag })).status, 304);
  const reader = await poll(panel.panelId, { 'If-None-Match': tag }, readerCookie);
  assert.is(reader.status, 403);
  assert.is(reader.headers.get('ETag'), null);
  const anonymous = await request(app, 'GET', `/settings/cii-cpar/panels/${panel.panelId}/submission`, { htmx: true, headers: { 'If-None-Match': tag } });
  assert.is(anonymous.status, 401);
  // The whole-page request (no htmx) is redirected to the page, never answered 304.
  const full = await request(app, 'GET', `/settings/cii-cpar/panels/${panel.panelId}/submission`, { cookie, headers: { 'If-None-Match': tag } });
  assert.is(full.status, 303);
});

cache.run();
