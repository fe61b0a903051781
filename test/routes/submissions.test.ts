import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { createApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { addClinicPanel } from '../support/clinic.ts';
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

page('a summary above the table counts panels by status, each a link that filters the table', async () => {
  const doc = await submissionsDoc();
  const links = [...doc.querySelectorAll('.status-summary a')];
  assert.equal(links.map((a) => a.textContent), ['All 6', '2 Failed', '1 Never submitted', '1 Queued', '1 Pending', '1 Submitted']);
  assert.is(links[0].getAttribute('aria-current'), 'page');
  assert.is(links[1].getAttribute('href'), '/settings/cii-cpar/submissions?status=failed');

  const failedOnly = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions?status=failed', { cookie }));
  assert.equal([...failedOnly.querySelectorAll('#submissions tbody tr')].map((tr) => tr.id), [`panel-${ids.failed}`, `panel-${ids.silent}`]);
  assert.is(failedOnly.querySelector('.status-summary a[aria-current]')?.textContent, '2 Failed');
  assert.equal([...failedOnly.querySelectorAll('.status-summary a')].map((a) => a.textContent)[0], 'All 6', 'the counts stay whole');
  assert.is(failedOnly.querySelector('#sort-by-status')?.getAttribute('href'), '/settings/cii-cpar/submissions?status=failed&sort=status', 'sorting keeps the filter');

  const never = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions?status=never', { cookie }));
  assert.equal([...never.querySelectorAll('#submissions tbody tr')].map((tr) => tr.id), [`panel-${ids.never}`]);
  for (const odd of ['Failed', 'toString', '__proto__', '']) {
    const res = await request(app, 'GET', `/settings/cii-cpar/submissions?status=${odd}`, { cookie });
    assert.is(res.status, 200);
    assert.is((await dom(res)).querySelectorAll('#submissions tbody tr').length, 6, `an unknown status (${odd}) is ignored`);
  }
});

page('the sorted column says so on its header cell (aria-sort on the th)', async () => {
  const doc = await submissionsDoc();
  const headers = [...doc.querySelectorAll('#submissions thead th')];
  assert.is(headers[0].getAttribute('aria-sort'), 'ascending');
  assert.is(headers[3].getAttribute('aria-sort'), null);
  assert.not.ok(doc.querySelector('#submissions thead span[aria-sort]'));
  const byStatus = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions?sort=status', { cookie }));
  assert.is(byStatus.querySelectorAll('#submissions thead th')[3].getAttribute('aria-sort'), 'ascending');
});

page('the footer names the Netcare endpoint to administrators only', async () => {
  await addUser(db, 'administrator', ['cii_cpar_settings', 'manage_users']);
  const labelled = createApp({ db, clock: new ManualClock('2026-11-10T12:00:00-07:00'), config: loadConfig({ NODE_ENV: 'test' }), netcareLabel: 'Netcare at https://netcare.example' });
  const footer = async (user: string) => (await dom(await request(labelled, 'GET', '/settings/cii-cpar/submissions', { cookie: await signIn(labelled, user) })))
    .querySelector('footer.bottom')?.textContent ?? null;
  assert.is(await footer('administrator'), 'Netcare: Netcare at https://netcare.example');
  assert.is(await footer('clerk'), null);
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

page('a panel never submitted says so in its Status cell (as its filter does), with empty cells and a Submit button', async () => {
  const doc = await submissionsDoc();
  const never = cells(doc.querySelector(`#panel-${ids.never}`)!);
  assert.equal(never.slice(1, 5), ['', '', 'Never submitted', '']);
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

page('Submit on a Not-ready panel shows the reasons and asks; nothing is queued until the answer', async () => {
  const before = await count(db, 'SELECT count(*) FROM submissions');
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.failed}/submissions`, { cookie, htmx: true });
  assert.is(res.status, 200);
  const row = (await dom(res)).querySelector(`tr#panel-${ids.failed}`)!;
  const check = row.querySelector('.submit-check')!;
  assert.match(check.textContent ?? '', 'This panel will fail:');
  assert.equal([...check.querySelectorAll('li')].map((li) => li.textContent), ['The panel has no patients assigned.']);
  assert.match(check.textContent ?? '', 'Fix these first, or submit anyway.');
  assert.is(check.querySelector('form input[name=anyway]')?.getAttribute('value'), 'yes');
  assert.is(check.querySelector('a')?.getAttribute('hx-get'), `/settings/cii-cpar/panels/${ids.failed}/submission`, 'Cancel brings the row back');
  assert.is(await count(db, 'SELECT count(*) FROM submissions'), before);

  const page = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.failed}/submissions`, { cookie });
  assert.is(page.status, 200, 'without JavaScript: a confirmation page');
  const doc = await dom(page);
  assert.match(doc.querySelector('h1')?.textContent ?? '', 'Submit “Delta clinic”?');
  assert.ok(doc.querySelector('.submit-check form[method=post] input[name=anyway]'));
  assert.is(await count(db, 'SELECT count(*) FROM submissions'), before);
});

page('a Ready panel submits in one click', async () => {
  const ready = await addClinicPanel(db, { name: 'Ready clinic', number: 'PNL-READY', patients: 2 });
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ready.panelId}/submissions`, { cookie, htmx: true });
  assert.is((await dom(res)).querySelector(`#panel-${ready.panelId} .status`)?.textContent, 'Queued');
  await db.execute({ sql: 'UPDATE panels SET active = 0 WHERE id = ?', args: [ready.panelId] });
});

page('Submit anyway over htmx queues the panel: the Queued row keeps focus and the live region says what happened', async () => {
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.failed}/submissions`, { cookie, htmx: true, form: { anyway: 'yes' } });
  assert.is(res.status, 200);
  const answer = await dom(res);
  assert.is(answer.querySelector('hx-partial')?.getAttribute('hx-target'), '#submit-status');
  assert.match(answer.querySelector('hx-partial')?.textContent ?? '', '“Delta clinic” is queued: it will be sent');
  const actions = answer.querySelector('tr .actions')!;
  assert.ok(actions.hasAttribute('autofocus') && actions.getAttribute('tabindex') === '-1', 'focus stays on the row');
  const row = answer.querySelector('tr')!;
  assert.is(row.id, `panel-${ids.failed}`);
  assert.is(row.querySelector('.status')?.textContent, 'Queued');
  assert.not.ok(row.querySelector('form'));
  assert.match(row.querySelector('.actions')?.textContent ?? '', 'Will be sent');
  const stored = await db.execute({ sql: "SELECT trigger, triggered_by FROM submissions WHERE panel_id = ? AND status = 'Queued'", args: [ids.failed] });
  assert.is(stored.rows.length, 1);
  assert.is(stored.rows[0].trigger, 'manual');
  const submitted = (await db.execute({ sql: "SELECT id FROM submissions WHERE status = 'Queued' AND panel_id = ?", args: [ids.failed] })).rows[0].id;
  const entry = (await db.execute("SELECT username, user_id, permissions, route, object_type, object_id FROM audit_log WHERE action = 'submit' ORDER BY id DESC LIMIT 1")).rows[0];
  assert.equal({ ...entry }, { username: 'clerk', user_id: stored.rows[0].triggered_by, permissions: 'cii_cpar_settings',
    route: `POST /settings/cii-cpar/panels/${ids.failed}/submissions`, object_type: 'submission', object_id: String(submitted) }, 'the clerk who clicked Submit is in the trail');
});

page('a second Submit (double click, second tab) gets 409 and no second Queued row', async () => {
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.failed}/submissions`, { cookie, htmx: true, form: { anyway: 'yes' } });
  assert.is(res.status, 409);
  assert.match((await dom(res)).querySelector('[role=alert]')?.textContent ?? '', 'already Queued');
  assert.is(await count(db, "SELECT count(*) FROM submissions WHERE panel_id = ? AND status = 'Queued'", [ids.failed]), 1);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'submit' AND object_id IN (SELECT id FROM submissions WHERE panel_id = ?)", [ids.failed]), 1, 'a refused Submit queues nothing and sends nothing: no entry');
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
    request(app, 'POST', `/settings/cii-cpar/panels/${ids.never}/submissions`, { cookie, htmx: true, form: { anyway: 'yes' } })));
  assert.equal(results.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
  assert.is(await count(db, 'SELECT count(*) FROM submissions WHERE panel_id = ?', [ids.never]), 1);
});

page('without JavaScript, Submit answers 303 back to the page, which says what happened', async () => {
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${ids.submitted}/submissions`, { cookie, form: { anyway: 'yes' } });
  assert.is(res.status, 303);
  assert.is(res.headers.get('Location'), `/settings/cii-cpar/submissions?queued=${ids.submitted}#panel-${ids.submitted}`);
  const doc = await dom(await request(app, 'GET', `/settings/cii-cpar/submissions?queued=${ids.submitted}`, { cookie }));
  assert.is(doc.querySelector(`#panel-${ids.submitted} .status`)?.textContent, 'Queued');
  assert.match(doc.querySelector('#submit-status.notice')?.textContent ?? '', '“alpha clinic” is queued: it will be sent');
  const plain = await submissionsDoc();
  assert.is(plain.querySelector('#submit-status')?.textContent, '', 'no notice on an ordinary visit');
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
