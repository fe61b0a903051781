import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count, ORIGIN } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';
import { lastAudit } from '../support/audit.ts';

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

const base = (panelId: number) => `/settings/cii-cpar/panels/${panelId}`;
const list = (panelId: number, query = '') => `${base(panelId)}/members${query}`;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

const bulk = suite('Bulk changes to members: guarded, reviewed, undoable');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let cookie: string;

bulk.before(async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  ({ app } = testApp(db));
  cookie = await signIn(app, 'clerk');
});

/** A form POST with repeated patient ids. */
function post(path: string, pairs: [string, string][], htmx = false) {
  const headers: Record<string, string> = { Origin: ORIGIN, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' };
  if (htmx) Object.assign(headers, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
  return app.request(`${ORIGIN}${path}`, { method: 'POST', headers, body: new URLSearchParams(pairs).toString(), redirect: 'manual' });
}
const ids = (patientIds: number[]): [string, string][] => patientIds.map((id) => ['patient_id', String(id)]);

/** Every column of every membership of the panel, as stored. */
async function rows(panelId: number) {
  const r = await db.execute({ sql: 'SELECT * FROM panel_members WHERE panel_id = ? ORDER BY patient_id', args: [panelId] });
  return JSON.stringify(r.rows.map((row) => r.columns.map((c) => [c, row[c]])));
}

bulk('the no-last-visit view explains what fixes it and offers Remove, not Confirm; a forced confirm stamps over nothing', async () => {
  // 14 patients with a valid confirmation date and no visit: the panel.
  const panel = await addClinicPanel(db, { name: 'No visits', patients: 2, withoutVisit: 14 });
  const before = await rows(panel.panelId);
  const doc = await dom(await request(app, 'GET', list(panel.panelId, '?problem=no_last_visit'), { cookie }));
  assert.match(text(doc.querySelector('#no-last-visit-help')), 'Confirming does not fix a missing last visit');
  assert.match(text(doc.querySelector('#no-last-visit-help')), 'arrives here with the next import');
  assert.not.ok(doc.querySelector('#bulk-confirm button[name=scope]'), 'no "confirm all shown"');
  assert.not.ok(doc.querySelector('#confirmed-on'), 'no date to confirm on');
  assert.not.ok(doc.querySelector('#members-table form[action$="/confirmation"]'), 'no row offers Confirm: each has a date');
  assert.match(text(doc.querySelector('#bulk-confirm button[formaction$="/removals"]')), 'Remove selected from the panel');
  const res = await post(`${base(panel.panelId)}/confirmations`, [['scope', 'filter'], ['confirmed_on', ''], ['return_to', list(panel.panelId, '?problem=no_last_visit')]], true);
  assert.is(res.status, 200);
  assert.match(text((await dom(res)).querySelector('#members [role=status]')), 'Nothing changed: the 14 patients selected already had a confirmation date');
  assert.is(await rows(panel.panelId), before, 'all 14 dates as they were');
});

bulk('changing existing dates is a separate, reviewed action: the check says how many, from what to what; undo restores the rows exactly', async () => {
  const panel = await addClinicPanel(db, { name: 'Reconfirm', patients: 3, withoutConfirmation: 1 });
  await db.execute({ sql: "UPDATE panel_members SET confirmed_on = '2025-11-03' WHERE panel_id = ? AND patient_id = ?", args: [panel.panelId, panel.patientIds[2]] });
  const chosen = [panel.patientIds[0], panel.patientIds[1], panel.patientIds[2], panel.patientIds[3]];
  const before = await rows(panel.panelId);
  for (const htmx of [true, false]) {
    const review = await post(`${base(panel.panelId)}/reconfirmations`, [['confirmed_on', '2026-11-05'], ['return_to', list(panel.panelId)], ...ids(chosen)], htmx);
    assert.is(review.status, 200);
    const doc = await dom(review);
    const lines = [...doc.querySelectorAll('#members.review > p:not(.meta)')].map(text);
    assert.equal(lines, [
      '3 existing confirmation dates will be replaced: 2026-06-01 → 2026-11-05 (2), 2025-11-03 → 2026-11-05 (1).',
      '1 patient without a date will get 2026-11-05.',
    ]);
    assert.is(doc.querySelectorAll('#review-table tbody tr').length, 4);
    assert.is(doc.querySelector('#members.review form input[name=confirm]')?.getAttribute('value'), 'yes');
    assert.is(Boolean(doc.querySelector('html')), !htmx, 'a page of its own without JavaScript');
    assert.is(await rows(panel.panelId), before, 'the check changes nothing');
  }
  const applied = await post(`${base(panel.panelId)}/reconfirmations`, [['confirm', 'yes'], ['confirmed_on', '2026-11-05'], ['return_to', list(panel.panelId)], ...ids(chosen)]);
  assert.is(applied.status, 303);
  assert.is(await count(db, "SELECT count(*) FROM panel_members WHERE panel_id = ? AND confirmed_on = '2026-11-05' AND confirmed_by = 'Test clerk'", [panel.panelId]), 4);
  assert.equal(sorted((await lastAudit(db, 'edit')).patientIds), sorted(chosen), 'the trail names the four whose date changed');
  const page = await dom(await request(app, 'GET', applied.headers.get('Location')!, { cookie }));
  assert.is(text(page.querySelector('#members [role=status] p')), '4 patients now confirmed on 2026-11-05.');
  const undo = page.querySelector('#members [role=status] form')!.getAttribute('action')!;
  const undone = await post(undo, [['return_to', list(panel.panelId)]], true);
  assert.is(undone.status, 200);
  assert.is(text((await dom(undone)).querySelector('#members [role=status]')), 'Undone: 4 patients back to their previous confirmation dates.');
  assert.is(await rows(panel.panelId), before, 'byte-identical rows');
  assert.equal(sorted((await lastAudit(db, 'edit')).patientIds), sorted(chosen), 'the undo names the four it restored');
  const again = await post(undo, [['return_to', list(panel.panelId)]], true);
  assert.is(again.status, 409);
  assert.is(text((await dom(again)).querySelector('#members [role=status]')), 'This change was already undone.');
});

bulk('removing members is checked first and can be undone: memberships come back as they were', async () => {
  const panel = await addClinicPanel(db, { name: 'Remove', patients: 2, withoutVisit: 2 });
  const before = await rows(panel.panelId);
  const chosen = panel.patientIds.slice(2);
  const review = await dom(await post(`${base(panel.panelId)}/removals`, [['return_to', list(panel.panelId, '?problem=no_last_visit')], ...ids(chosen)], true));
  assert.is(text(review.querySelector('#review-heading')), 'Remove 2 patients from this panel?');
  assert.is(await rows(panel.panelId), before);
  const applied = await post(`${base(panel.panelId)}/removals`, [['confirm', 'yes'], ['return_to', list(panel.panelId, '?problem=no_last_visit')], ...ids(chosen)], true);
  const doc = await dom(applied);
  assert.is(text(doc.querySelector('#members [role=status] p')), '2 patients removed from this panel. The patient records are kept.');
  assert.is(await count(db, 'SELECT count(*) FROM panel_members WHERE panel_id = ?', [panel.panelId]), 2);
  assert.is(await count(db, 'SELECT count(*) FROM patients WHERE id IN (?, ?)', chosen), 2, 'the patients stay');
  assert.equal(sorted((await lastAudit(db, 'delete')).patientIds), sorted(chosen), 'the trail names both patients');
  const undo = doc.querySelector('#members [role=status] form')!.getAttribute('action')!;
  assert.is((await post(undo, [['return_to', list(panel.panelId)]])).status, 303);
  assert.is(await rows(panel.panelId), before);
  assert.equal(sorted((await lastAudit(db, 'edit')).patientIds), sorted(chosen), 'the undo names the members it put back');
});

bulk('a confirmation date before the patient\'s birth, or in the future, is refused; nothing changes and the ticks are kept', async () => {
  const panel = await addClinicPanel(db, { name: 'Dates', patients: 0, withoutConfirmation: 2 });
  await db.execute({ sql: "UPDATE patients SET birth_date = '2020-05-01' WHERE id = ?", args: [panel.patientIds[0]] });
  const before = await rows(panel.panelId);
  for (const [path, date, message] of [
    ['confirmations', '2019-12-31', 'The confirmation date 2019-12-31 is before the birth date of 1 selected patient'],
    ['reconfirmations', '2019-12-31', 'before the birth date of 1 selected patient'],
    ['confirmations', '2026-11-11', 'cannot be in the future: today is 2026-11-10'],
  ]) {
    const res = await post(`${base(panel.panelId)}/${path}`, [['confirmed_on', date], ['return_to', list(panel.panelId)], ...ids(panel.patientIds)], true);
    assert.is(res.status, 422, `${path} ${date}`);
    const doc = await dom(res);
    assert.match(text(doc.querySelector('#bulk-error')), message);
    assert.ok(doc.querySelector(`#member-${panel.patientIds[0]} input[type=checkbox]`)?.hasAttribute('checked'));
  }
  assert.is(await rows(panel.panelId), before);
});

bulk('undo of another panel\'s change, or of none, is 404; a user without the permission gets 403', async () => {
  const panel = await addClinicPanel(db, { name: 'Guarded', patients: 0, withoutConfirmation: 1 });
  assert.is((await post(`${base(panel.panelId)}/member-changes/99999/undo`, [])).status, 404);
  await addUser(db, 'nobody');
  const other = await signIn(app, 'nobody');
  for (const path of ['confirmations', 'reconfirmations', 'removals', 'member-changes/1/undo']) {
    const res = await request(app, 'POST', `${base(panel.panelId)}/${path}`, { cookie: other, form: { patient_id: String(panel.patientIds[0]) } });
    assert.is(res.status, 403, path);
  }
});

bulk.run();
