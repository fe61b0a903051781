import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/db.ts';
import { freshDb, addUser, addPanel, addSubmission, testApp, request, signIn, dom, count } from '../support/app.ts';

const page = suite('Submissions page');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let cookie: string;
const ids: Record<string, number> = {};

page.before(async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  ids.failed = await addPanel(db, 'Delta clinic', { number: 'PNL-4' });
  ids.submitted = await addPanel(db, 'alpha clinic', { number: 'PNL-1' });
  ids.queued = await addPanel(db, 'Charlie clinic', { number: 'PNL-3' });
  ids.pending = await addPanel(db, 'Bravo clinic', { number: 'PNL-2' });
  ids.never = await addPanel(db, 'Echo clinic (new)', { number: 'PNL-5' });
  ids.silent = await addPanel(db, 'Foxtrot clinic', { number: 'PNL-6' });
  ids.regular = await addPanel(db, 'Regular panel', { cpar: false });
  ids.inactive = await addPanel(db, 'Inactive CPAR', { active: false, number: 'PNL-9' });
  await addSubmission(db, ids.submitted, { status: 'Failed', createdAt: '2026-09-15T21:00:00-06:00', patientCount: 700, briefError: 'old failure' });
  await addSubmission(db, ids.submitted, { status: 'Submitted', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 712 });
  await addSubmission(db, ids.failed, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 640, briefError: '12 patients have no confirmation date for this panel.' });
  await addSubmission(db, ids.queued, { status: 'Submitted', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 500 });
  await addSubmission(db, ids.queued, { status: 'Queued', createdAt: '2026-11-10T10:00:00-07:00' });
  await addSubmission(db, ids.pending, { status: 'Pending', createdAt: '2026-11-09T21:00:00-07:00', patientCount: 903 });
  await addSubmission(db, ids.silent, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 0, briefError: 'The panel has no patients assigned.', recipientNotified: false });
  ({ app } = testApp(db));
  cookie = await signIn(app, 'clerk');
});

async function submissionsDoc() {
  const res = await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie });
  assert.is(res.status, 200);
  assert.is(res.headers.get('Cache-Control'), 'no-store');
  return dom(res);
}

function cells(row: Element) {
  return [...row.children].map((cell) => cell.textContent?.trim() ?? '');
}

page('one row per active CPAR panel, alphabetical, nothing else', async () => {
  const doc = await submissionsDoc();
  const rowIds = [...doc.querySelectorAll('#submissions tbody tr')].map((tr) => tr.id);
  assert.equal(rowIds, ['submitted', 'pending', 'queued', 'failed', 'never', 'silent'].map((k) => `panel-${ids[k]}`));
});

page('a line above the table says to correct errors before resubmitting', async () => {
  const doc = await submissionsDoc();
  assert.match(doc.querySelector('.lead')?.textContent ?? '', /correct the errors before you resubmit/);
});

page('cells in order: panel and number, created (Edmonton), patients, status, error, actions, readiness', async () => {
  const doc = await submissionsDoc();
  const failed = cells(doc.querySelector(`#panel-${ids.failed}`)!);
  assert.is(failed.length, 7);
  assert.match(failed[0], 'Delta clinic');
  assert.match(failed[0], 'PNL-4');
  assert.is(failed[1], '2026-10-15 21:00'); // 03:00Z on the 16th, shown as the Edmonton 15th
  assert.is(failed[2], '640');
  assert.is(failed[3], 'Failed');
  assert.is(failed[4], '12 patients have no confirmation date for this panel.');
  assert.is(failed[5], 'Submit Delta clinic');
  const submitted = cells(doc.querySelector(`#panel-${ids.submitted}`)!);
  assert.equal(submitted.slice(1, 5), ['2026-10-15 21:00', '712', 'Submitted', '']);
  const pending = cells(doc.querySelector(`#panel-${ids.pending}`)!);
  assert.equal(pending.slice(2, 5), ['903', 'Pending', '']);
});

page('the status is a labelled badge', async () => {
  const doc = await submissionsDoc();
  const badge = doc.querySelector(`#panel-${ids.pending} .status .badge`);
  assert.is(badge?.textContent, 'Pending');
  assert.ok(badge?.classList.contains('badge-pending'));
  assert.is(doc.querySelector('#submissions thead th:nth-child(4)')?.textContent, 'Status');
});

page('a panel never submitted has a row with empty cells and a Submit button', async () => {
  const doc = await submissionsDoc();
  const never = cells(doc.querySelector(`#panel-${ids.never}`)!);
  assert.equal(never.slice(1, 5), ['', '', '', '']);
  assert.ok(doc.querySelector(`#panel-${ids.never} form button`));
});

page('Submit is offered for no status, Failed and Submitted; hidden for Queued and Pending', async () => {
  const doc = await submissionsDoc();
  for (const k of ['failed', 'submitted', 'never']) {
    const form = doc.querySelector(`#panel-${ids[k]} form`);
    assert.ok(form, `${k} has Submit`);
    assert.is(form!.getAttribute('method'), 'post');
    assert.is(form!.getAttribute('action'), `/settings/cii-cpar/panels/${ids[k]}/submissions`);
    assert.is(form!.getAttribute('hx-post'), form!.getAttribute('action'));
    assert.is(form!.getAttribute('hx-target'), `#panel-${ids[k]}`);
  }
  for (const k of ['queued', 'pending']) assert.not.ok(doc.querySelector(`#panel-${ids[k]} form`), `${k} has no Submit`);
});

page('only Queued and Pending rows poll', async () => {
  const doc = await submissionsDoc();
  for (const k of ['queued', 'pending']) {
    const row = doc.querySelector(`#panel-${ids[k]}`)!;
    assert.match(row.getAttribute('hx-trigger') ?? '', /^every \d+s$/);
    assert.is(row.getAttribute('hx-get'), `/settings/cii-cpar/panels/${ids[k]}/submission`);
  }
  for (const k of ['failed', 'submitted', 'never', 'silent']) {
    assert.is(doc.querySelector(`#panel-${ids[k]}`)!.getAttribute('hx-trigger'), null);
  }
});

page('a Queued row tells when it will be sent (queued this morning: tonight)', async () => {
  const doc = await submissionsDoc();
  assert.match(doc.querySelector(`#panel-${ids.queued} .actions`)?.textContent ?? '', 'Will be sent 21:00 tonight');
});

page('a failure with no recipient says no one was notified', async () => {
  const doc = await submissionsDoc();
  assert.match(doc.querySelector(`#panel-${ids.silent} .error-cell`)?.textContent ?? '', 'No one was notified');
  assert.not.match(doc.querySelector(`#panel-${ids.failed} .error-cell`)?.textContent ?? '', 'No one was notified');
});

page('the row fragment re-renders a polled row, and drops polling once final', async () => {
  const res = await request(app, 'GET', `/settings/cii-cpar/panels/${ids.pending}/submission`, { cookie, htmx: true });
  assert.is(res.status, 200);
  assert.match(res.headers.get('Vary') ?? '', 'HX-Request-Type');
  const row = (await dom(res)).querySelector('tr')!;
  assert.is(row.id, `panel-${ids.pending}`);
  assert.ok(row.getAttribute('hx-trigger'));
  await db.execute({ sql: "UPDATE submissions SET status = 'Submitted', submitted_at = 1 WHERE panel_id = ? AND status = 'Pending'", args: [ids.pending] });
  const after = (await dom(await request(app, 'GET', `/settings/cii-cpar/panels/${ids.pending}/submission`, { cookie, htmx: true }))).querySelector('tr')!;
  assert.is(after.getAttribute('hx-trigger'), null);
  assert.match(after.textContent ?? '', 'Submitted');
});

page('Submit over htmx queues the panel and returns the Queued row without a button', async () => {
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.failed}/submissions`, { cookie, htmx: true });
  assert.is(res.status, 200);
  const row = (await dom(res)).querySelector('tr')!;
  assert.is(row.id, `panel-${ids.failed}`);
  assert.is(row.querySelector('.status')?.textContent, 'Queued');
  assert.not.ok(row.querySelector('form'));
  assert.match(row.querySelector('.actions')?.textContent ?? '', 'Will be sent');
  const stored = await db.execute({ sql: "SELECT trigger, triggered_by FROM submissions WHERE panel_id = ? AND status = 'Queued'", args: [ids.failed] });
  assert.is(stored.rows.length, 1);
  assert.is(stored.rows[0].trigger, 'manual');
});

page('a second Submit (double click, second tab) gets 409 and no second Queued row', async () => {
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.failed}/submissions`, { cookie, htmx: true });
  assert.is(res.status, 409);
  assert.match((await dom(res)).querySelector('[role=alert]')?.textContent ?? '', 'already Queued');
  assert.is(await count(db, "SELECT count(*) FROM submissions WHERE panel_id = ? AND status = 'Queued'", [ids.failed]), 1);
});

page('a Pending panel cannot be queued', async () => {
  const before = await count(db, 'SELECT count(*) FROM submissions');
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.queued}/submissions`, { cookie });
  assert.is(res.status, 409);
  assert.match(await res.text(), 'already Queued');
  assert.is(await count(db, 'SELECT count(*) FROM submissions'), before);
});

page('simultaneous Submits queue the panel once', async () => {
  const results = await Promise.all(Array.from({ length: 5 }, () =>
    request(app, 'POST', `/settings/cii-cpar/panels/${ids.never}/submissions`, { cookie, htmx: true })));
  assert.equal(results.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
  assert.is(await count(db, 'SELECT count(*) FROM submissions WHERE panel_id = ?', [ids.never]), 1);
});

page('without JavaScript, Submit answers 303 back to the page', async () => {
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.submitted}/submissions`, { cookie });
  assert.is(res.status, 303);
  assert.is(res.headers.get('Location'), `/settings/cii-cpar/submissions#panel-${ids.submitted}`);
  const doc = await submissionsDoc();
  assert.is(doc.querySelector(`#panel-${ids.submitted} .status`)?.textContent, 'Queued');
});

page('a regular, inactive or missing panel cannot be submitted', async () => {
  const before = await count(db, 'SELECT count(*) FROM submissions');
  for (const id of [ids.regular, ids.inactive, 99999]) {
    const res = await request(app, 'POST', `/settings/cii-cpar/panels/${id}/submissions`, { cookie });
    assert.is(res.status, 404);
  }
  assert.is((await request(app, 'POST', '/settings/cii-cpar/panels/abc/submissions', { cookie })).status, 404);
  assert.is(await count(db, 'SELECT count(*) FROM submissions'), before);
});

page('a cross-origin Submit is refused and queues nothing', async () => {
  const before = await count(db, 'SELECT count(*) FROM submissions');
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.silent}/submissions`, { cookie, origin: 'https://evil.example' });
  assert.is(res.status, 403);
  const cross = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.silent}/submissions`, { cookie, origin: null, headers: { 'Sec-Fetch-Site': 'cross-site' } });
  assert.is(cross.status, 403);
  assert.is(await count(db, 'SELECT count(*) FROM submissions'), before);
});

page('each row says whether the panel would pass now, linking each reason to its fix', async () => {
  const doc = await submissionsDoc();
  const reason = doc.querySelector(`#panel-${ids.never} #readiness-${ids.never} [data-reason=no_patients] a`);
  assert.is(reason?.textContent, 'The panel has no patients assigned.');
  assert.is(reason?.getAttribute('href'), `/settings/cii-cpar/panels/${ids.never}/members`);
});

page('each panel links to its submission history', async () => {
  const doc = await submissionsDoc();
  assert.is(doc.querySelector(`#panel-${ids.failed} a.panel-name`)?.getAttribute('href'), `/settings/cii-cpar/panels/${ids.failed}/submissions`);
});

page.run();
