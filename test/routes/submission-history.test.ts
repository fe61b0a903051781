import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, addPanel, addSubmission, testApp, request, signIn, dom, count } from '../support/app.ts';
import { lastAudit } from '../support/audit.ts';
import { addClinicPanel } from '../support/clinic.ts';

const history = suite('Panel overview, submission history and submission page');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let clerk: string;
let panelId: number;
let patientIds: number[];
const ids: Record<string, number> = {};
const monthly: number[] = []; // the scheduled submission of each month, oldest first

async function setManual(submissionId: number, userId: number) {
  await db.execute({ sql: "UPDATE submissions SET trigger = 'manual', triggered_by = ? WHERE id = ?", args: [userId, submissionId] });
}

history.before(async () => {
  db = await freshDb();
  const clerkId = await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'physician');
  ({ panelId, patientIds } = await addClinicPanel(db, {
    name: 'Dr. Okafor — Main St', number: 'PNL-0042', recipient: clerkId, patients: 3, withoutVisit: 1, withoutConfirmation: 55,
    practitioners: [{ name: 'Dr. Ada Okafor', practitionerId: '123456' }, { name: 'Dr. Locum Smith', practitionerId: null }],
  }));
  await db.execute({ sql: "UPDATE patients SET status = 'inactive' WHERE id = ?", args: [patientIds[0]] });
  // 26 monthly runs, September 2024 to October 2026: more than a year, more than a page.
  for (let i = 0; i < 26; i++) {
    const month = 9 + i;
    const year = 2024 + Math.floor((month - 1) / 12);
    const mm = String(((month - 1) % 12) + 1).padStart(2, '0');
    monthly.push(await addSubmission(db, panelId, { status: 'Submitted', createdAt: `${year}-${mm}-15T21:00:00-06:00`, patientCount: 400 + i * 10 }));
  }
  await db.execute({
    sql: 'UPDATE submissions SET netcare_reference = ?, pending_at = ?, submitted_at = ? WHERE id = ?',
    args: ['NC-7781', Date.parse('2026-10-15T21:00:30-06:00'), Date.parse('2026-10-15T21:07:00-06:00'), monthly[25]],
  });
  // Two in the same minute: the later id is the newer one.
  ids.manual = await addSubmission(db, panelId, { status: 'Failed', createdAt: '2026-11-05T10:00:00-07:00', patientCount: 59, briefError: 'Netcare could not be reached' });
  await setManual(ids.manual, clerkId);
  ids.latest = await addSubmission(db, panelId, { status: 'Failed', createdAt: '2026-11-05T10:00:00-07:00', patientCount: 58,
    briefError: 'Dr. Locum Smith has no Practitioner ID recorded. 56 patients have no confirmation date for this panel.', recipientNotified: false });
  await db.execute({
    sql: `INSERT INTO submission_problems (submission_id, reason, patient_id, detail)
          SELECT ?, 'no_confirmation_date', value, NULL FROM json_each(?)
          UNION ALL SELECT ?, 'no_last_visit', ?, NULL
          UNION ALL SELECT ?, 'practitioner_without_id', NULL, 'Dr. Locum Smith has no Practitioner ID recorded.'
          UNION ALL SELECT ?, 'no_last_visit', NULL, NULL`,
    args: [ids.latest, JSON.stringify(patientIds.slice(3)), ids.latest, patientIds[3], ids.latest, ids.latest],
  });
  ids.queuedPanel = await addPanel(db, 'Queued panel', { number: 'PNL-Q' });
  await addSubmission(db, ids.queuedPanel, { status: 'Queued', createdAt: '2026-11-09T10:00:00-07:00' });
  ids.retired = await addPanel(db, 'Retired panel', { active: false, number: 'PNL-R' });
  ids.retiredSubmission = await addSubmission(db, ids.retired, { status: 'Submitted', createdAt: '2026-06-15T21:00:00-06:00', patientCount: 812 });
  ({ app } = testApp(db));
  clerk = await signIn(app, 'clerk');
});

async function get(path: string, cookie = clerk) {
  const res = await request(app, 'GET', path, { cookie });
  return { res, doc: await dom(res) };
}

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const HISTORY = (id: number, page?: number) => `/settings/cii-cpar/panels/${id}/submissions${page ? `?page=${page}` : ''}`;

history('the history lists every submission newest first, a same-minute pair by id', async () => {
  const first = await get(HISTORY(panelId));
  assert.is(first.res.status, 200);
  const rows = [...first.doc.querySelectorAll('#submission-history tbody tr')].map((tr) => tr.id);
  assert.is(rows.length, 24);
  assert.equal(rows.slice(0, 3), [`submission-${ids.latest}`, `submission-${ids.manual}`, `submission-${monthly[25]}`]);
  const second = [...(await get(HISTORY(panelId, 2))).doc.querySelectorAll('#submission-history tbody tr')].map((tr) => tr.id);
  assert.equal(second, monthly.slice(0, 4).reverse().map((id) => `submission-${id}`));
});

history('more than twelve months are reachable through the pages', async () => {
  const { doc } = await get(HISTORY(panelId, 2));
  assert.match(text(doc.querySelector(`#submission-${monthly[0]} .created`)), '2024-09-15 21:00');
  assert.match(text(doc.querySelector('.pager')), 'Page 2 of 2');
  assert.is(doc.querySelector('.pager a[rel=prev]')?.getAttribute('href'), HISTORY(panelId, 1));
  const first = (await get(HISTORY(panelId))).doc;
  assert.is(first.querySelector('.pager a[rel=next]')?.getAttribute('href'), HISTORY(panelId, 2));
  assert.match(text(first.querySelector('main')), '28 submissions in all');
});

history('a page past the end shows the last page; a page that is not a number shows the first', async () => {
  assert.is((await get(HISTORY(panelId, 99))).doc.querySelectorAll('#submission-history tbody tr').length, 4);
  const odd = await get(`${HISTORY(panelId)}?page=abc`);
  assert.is(odd.res.status, 200);
  assert.is(odd.doc.querySelectorAll('#submission-history tbody tr').length, 24);
});

history('each row says who triggered it, with Edmonton times, reference, error and notification', async () => {
  const { doc } = await get(HISTORY(panelId));
  const manual = doc.querySelector(`#submission-${ids.manual}`)!;
  assert.is(text(manual.querySelector('.trigger')), 'Manual by Test clerk');
  assert.is(text(manual.querySelector('.created')), '2026-11-05 10:00');
  assert.is(text(manual.querySelector('.error-cell')), 'Netcare could not be reached');
  assert.is(text(manual.querySelector('.notified')), 'Yes');
  assert.is(text(manual.querySelector('.progress-cell [data-state=failed]')), 'Failed 2026-11-05 10:00');
  const latest = doc.querySelector(`#submission-${ids.latest}`)!;
  assert.match(text(latest.querySelector('.notified')), 'No: the panel has no failure notification recipient');
  assert.ok(latest.querySelector('.status .badge.badge-failed'));
  const submitted = doc.querySelector(`#submission-${monthly[25]}`)!;
  assert.is(text(submitted.querySelector('.trigger')), 'Scheduled (monthly run)');
  assert.is(text(submitted.querySelector('.reference')), 'NC-7781');
  assert.is(text(submitted.querySelector('.patients')), '650');
  assert.is(text(submitted.querySelector('[data-state=pending]')), 'Pending 2026-10-15 21:00');
  assert.is(text(submitted.querySelector('[data-state=submitted]')), 'Submitted 2026-10-15 21:07');
  assert.is(text(submitted.querySelector('.status .badge-submitted')), 'Submitted');
  assert.is(text(submitted.querySelector('.notified')), '');
});

history('each row opens its submission page', async () => {
  const { doc } = await get(HISTORY(panelId));
  assert.is(doc.querySelector(`#submission-${ids.latest} .created a`)?.getAttribute('href'), `/settings/cii-cpar/submissions/${ids.latest}`);
});

history('Submit is offered when the last submission is final, and not while one is queued or the panel is inactive', async () => {
  const form = (await get(HISTORY(panelId))).doc.querySelector('form#submit-panel');
  assert.is(form?.getAttribute('method'), 'post');
  assert.is(form?.getAttribute('action'), `/settings/cii-cpar/panels/${panelId}/submissions`);
  assert.ok((await get(HISTORY(panelId, 2))).doc.querySelector('form#submit-panel'), 'decided by the latest, on every page');
  assert.not.ok((await get(HISTORY(ids.queuedPanel))).doc.querySelector('form#submit-panel'));
  assert.not.ok((await get(HISTORY(ids.retired))).doc.querySelector('form#submit-panel'));
});

history('the Submissions list page is still its own route', async () => {
  const { res, doc } = await get('/settings/cii-cpar/submissions');
  assert.is(res.status, 200);
  assert.ok(doc.querySelector('table#submissions'));
});

history('a missing Practitioner ID: the clerk is told which administrators can add it, an administrator gets the link', async () => {
  const practitionerId = Number((await db.execute("SELECT id FROM practitioners WHERE name = 'Dr. Locum Smith'")).rows[0].id);
  const adminId = await addUser(db, 'usersadmin', ['cii_cpar_settings', 'manage_users']);
  await db.execute({ sql: "UPDATE users SET full_name = 'Ivy Admin' WHERE id = ?", args: [adminId] });
  const theClerk = (await get(`/settings/cii-cpar/panels/${panelId}`)).doc;
  const locum = [...theClerk.querySelectorAll('#practitioners li')].find((li) => text(li).includes('Dr. Locum Smith'))!;
  assert.not.ok(locum.querySelector('a'), 'no link to a page that answers the clerk 403');
  assert.match(text(locum), 'Ask Ivy Admin to add it');
  const admin = await dom(await request(app, 'GET', `/settings/cii-cpar/panels/${panelId}`, { cookie: await signIn(app, 'usersadmin') }));
  const asAdmin = [...admin.querySelectorAll('#practitioners li')].find((li) => text(li).includes('Dr. Locum Smith'))!;
  assert.is(asAdmin.querySelector('a')?.getAttribute('href'), `/settings/practitioners/${practitionerId}/edit`);
  assert.is((await request(app, 'GET', `/settings/practitioners/${practitionerId}/edit`, { cookie: await signIn(app, 'usersadmin') })).status, 200);
  await db.execute({ sql: 'DELETE FROM users WHERE id = ?', args: [adminId] });
});

const SUBMISSION = (id: number, page?: number) => `/settings/cii-cpar/submissions/${id}${page ? `?page=${page}` : ''}`;

history('a submission page shows its facts and the panel-level problems', async () => {
  const { res, doc } = await get(SUBMISSION(ids.latest));
  assert.is(res.status, 200);
  const facts = text(doc.querySelector('#submission-facts'));
  for (const fact of ['Dr. Okafor — Main St', 'PNL-0042', '2026-11-05 10:00', 'Scheduled (monthly run)', 'Failed', '58',
    'Dr. Locum Smith has no Practitioner ID recorded.', 'No: the panel has no failure notification recipient']) assert.match(facts, fact);
  const practitioner = doc.querySelector('#panel-problems [data-reason=practitioner_without_id]')!;
  assert.match(text(practitioner), 'Practitioner without a Practitioner ID: Dr. Locum Smith has no Practitioner ID recorded.');
  // the clerk may not open /settings/practitioners: the link leads to the panel's page, which says who can fix it
  assert.is(practitioner.querySelector('a')?.getAttribute('href'), `/settings/cii-cpar/panels/${panelId}#practitioners`);
  assert.match(text(doc.querySelector('#panel-problems [data-reason=no_last_visit]')), '1 patient since removed from the clinical record');
});

history('patient-level problems are listed by patient, 50 a page, each reason linking to its fix', async () => {
  const { doc } = await get(SUBMISSION(ids.latest));
  assert.match(text(doc.querySelector('#patient-problems h2')), 'Patients to fix (56)');
  assert.is(doc.querySelectorAll('#patient-problems-table tbody tr').length, 50);
  const both = doc.querySelector(`#problem-patient-${patientIds[3]}`)!;
  assert.is(text(both.querySelector('th')), 'Testperson, Pat3');
  assert.match(text(both.querySelector('.uli')), /^\d{9}$/);
  assert.equal([...both.querySelectorAll('[data-reason]')].map((li) => li.getAttribute('data-reason')), ['no_last_visit', 'no_confirmation_date']);
  assert.is(both.querySelector('[data-reason=no_confirmation_date] a')?.getAttribute('href'),
    `/settings/cii-cpar/panels/${panelId}/members?problem=no_confirmation_date`);
  assert.is(text(both.querySelector('[data-reason=no_last_visit] a')), 'No last visit date');
  const next = doc.querySelector('#patient-problems .pager a[rel=next]')?.getAttribute('href');
  assert.is(next, `${SUBMISSION(ids.latest, 2)}#patient-problems`);
  const second = (await get(SUBMISSION(ids.latest, 2))).doc;
  assert.is(second.querySelectorAll('#patient-problems-table tbody tr').length, 6);
});

history('links the submission page generates carry no ULI', async () => {
  const { doc } = await get(SUBMISSION(ids.latest));
  const ulis = [...doc.querySelectorAll('.uli')].map((td) => text(td));
  for (const a of doc.querySelectorAll('a')) {
    for (const uli of ulis) assert.not.match(a.getAttribute('href') ?? '', uli);
  }
});

history('viewing patient-level problems is audited naming each patient shown', async () => {
  const before = await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'submission_problems'");
  const { doc } = await get(SUBMISSION(ids.latest, 2));
  const shown = [...doc.querySelectorAll('#patient-problems-table .uli')].map((td) => text(td));
  assert.is(shown.length, 6);
  assert.equal((await lastAudit(db, 'view')).ulis, shown);
  const rows = await db.execute("SELECT action, object_id, patient_count, username FROM audit_log WHERE object_type = 'submission_problems' ORDER BY id DESC LIMIT 1");
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'submission_problems'"), before + 1);
  assert.equal({ ...rows.rows[0] }, {
    action: 'view', object_id: String(ids.latest), patient_count: 6, username: 'clerk',
  });
});

history('a submission without problems says so and names no patient, so nothing is audited', async () => {
  const before = await count(db, "SELECT count(*) FROM audit_log WHERE action = 'view'");
  const { doc } = await get(SUBMISSION(monthly[25]));
  assert.ok(doc.querySelector('#no-problems'));
  assert.not.ok(doc.querySelector('#patient-problems'));
  assert.match(text(doc.querySelector('#submission-facts')), 'NC-7781');
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'view'"), before);
});

history('the panel overview shows the panel, its links, readiness now and the chart, with counts only', async () => {
  const before = await count(db, "SELECT count(*) FROM audit_log WHERE action = 'view'");
  const { res, doc } = await get(`/settings/cii-cpar/panels/${panelId}`);
  assert.is(res.status, 200);
  assert.match(text(doc.querySelector('h1')), 'Dr. Okafor — Main St');
  assert.match(text(doc.querySelector('h1 .badge-cpar')), 'CPAR');
  const facts = text(doc.querySelector('#panel-facts'));
  for (const fact of ['PNL-0042', 'Dr. Ada Okafor', 'Practitioner ID 123456', 'Test clerk']) assert.match(facts, fact);
  assert.is(text(doc.querySelector('#active-members')), '58');
  const flag = doc.querySelectorAll('#panel-facts [data-flag=no-practitioner-id]');
  assert.is(flag.length, 1);
  assert.match(text(flag[0].closest('li')), 'Dr. Locum Smith');
  const links = [...doc.querySelectorAll('#panel-links a')].map((a) => a.getAttribute('href'));
  const base = `/settings/cii-cpar/panels/${panelId}`;
  assert.equal(links, [`${base}/members`, `${base}/edit`, `${base}/submissions`, `${base}/registry`]);
  assert.ok(doc.querySelector(`#panel-links form[method=post][action="${base}/members.csv"] button`), 'the export is a POST');
  const readiness = doc.querySelector(`#readiness #readiness-${panelId}`)!;
  assert.match(text(readiness), 'Not ready');
  assert.equal([...readiness.querySelectorAll('[data-reason]')].map((li) => li.getAttribute('data-reason')),
    ['practitioner_without_id', 'no_last_visit', 'no_confirmation_date']);
  const chart = doc.querySelector('#monthly-counts svg[role=img]')!;
  assert.match(chart.getAttribute('aria-label') ?? '', 'Latest: 58 in November 2026');
  assert.is(doc.querySelectorAll('#monthly-counts rect.bar').length, 12, 'December 2025 to November 2026');
  assert.not.ok(doc.querySelector('.uli'));
  assert.not.match(text(doc.querySelector('main')), 'Testperson');
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'view'"), before);
});

history('an inactive panel has an overview too, marked inactive', async () => {
  const { res, doc } = await get(`/settings/cii-cpar/panels/${ids.retired}`);
  assert.is(res.status, 200);
  assert.is(text(doc.querySelector('h1 .badge-inactive')), 'Inactive');
  assert.match(text(doc.querySelector('#panel-facts')), 'No: the panel is inactive.');
  assert.is(doc.querySelectorAll('#monthly-counts rect.bar').length, 1);
});

history('a missing panel or submission is a 404 page with the portal around it', async () => {
  for (const path of ['/settings/cii-cpar/panels/99999', HISTORY(99999), SUBMISSION(99999),
    '/settings/cii-cpar/panels/99999999999999999999', SUBMISSION(0), '/settings/cii-cpar/submissions/abc']) {
    const { res, doc } = await get(path);
    assert.is(res.status, 404, path);
    assert.is(text(doc.querySelector('h1')), 'Not found', path);
    assert.ok(doc.querySelector('nav[aria-label=Main]'), path);
  }
});

history('a user without the CII/CPAR permission gets 403 on every route, GET and POST, and nothing changes', async () => {
  const physician = await signIn(app, 'physician');
  const state = async () => [await count(db, 'SELECT count(*) FROM submissions'),
    await count(db, "SELECT count(*) FROM audit_log WHERE action <> 'denied'")];
  const before = await state();
  for (const path of [`/settings/cii-cpar/panels/${panelId}`, HISTORY(panelId), SUBMISSION(ids.latest)]) {
    for (const method of ['GET', 'POST'] as const) {
      for (const htmx of [false, true]) {
        const res = await request(app, method, path, { cookie: physician, htmx });
        assert.is(res.status, 403, `${method} ${path} htmx=${htmx}`);
        const body = await res.text();
        assert.match(body, 'CII/CPAR settings');
        assert.not.match(body, 'Testperson');
      }
    }
  }
  assert.equal(await state(), before, 'no submission queued, no patient data viewed');
});

history.run();
