import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { extractPanel } from '../../src/domain/pipeline/extraction.ts';
import { validatePanel } from '../../src/domain/panels/validation.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count } from '../support/app.ts';
import { auditEntries, lastAudit } from '../support/audit.ts';
import { addClinicPanel } from '../support/clinic.ts';

// 12:00 in Edmonton on 10 November 2026 (the default test clock).
const NOW = new Date('2026-11-10T12:00:00-07:00');
const base = (panelId: number) => `/settings/cii-cpar/panels/${panelId}`;
const list = (panelId: number, query = '') => `${base(panelId)}/members${query}`;
/** A members search: a POST, so that the ULI or name searched for is in no URL. */
const search = (panelId: number, form: Record<string, string>, options: { htmx?: boolean; headers?: Record<string, string> } = {}) =>
  request(app, 'POST', `${list(panelId)}/search`, { cookie, form, ...options });
const findCandidates = (panelId: number, q: string, htmx = false) => request(app, 'POST', `${base(panelId)}/candidates/search`, { cookie, form: { q }, htmx });

let db: Db;
let app: ReturnType<typeof testApp>['app'];
let cookie: string;
let physician: string;
const ids: Record<string, number> = {};
let main: { panelId: number; patientIds: number[] };

async function addPatient(p: { uli: string; last: string; first: string; status?: string; birth?: string }): Promise<number> {
  const r = await db.execute({
    sql: `INSERT INTO patients (uli, last_name, first_name, birth_date, gender, status) VALUES (?, ?, ?, ?, 'M', ?) RETURNING id`,
    args: [p.uli, p.last, p.first, p.birth ?? '1975-03-04', p.status ?? 'active'],
  });
  return Number(r.rows[0].id);
}
async function join(panelId: number, patientId: number, confirmedOn: string | null) {
  await db.execute({ sql: 'INSERT INTO panel_members (panel_id, patient_id, confirmed_on) VALUES (?, ?, ?)', args: [panelId, patientId, confirmedOn] });
}
async function visit(patientId: number, date: string) {
  await db.execute({ sql: 'INSERT INTO visits (patient_id, practitioner_id, visit_date) SELECT ?, id, ? FROM practitioners LIMIT 1', args: [patientId, date] });
}
async function confirmedOn(panelId: number, patientId: number) {
  const row = (await db.execute({ sql: 'SELECT confirmed_on FROM panel_members WHERE panel_id = ? AND patient_id = ?', args: [panelId, patientId] })).rows[0];
  return row ? row.confirmed_on : 'not a member';
}
const uliOf = async (patientId: number) => String((await db.execute({ sql: 'SELECT uli FROM patients WHERE id = ?', args: [patientId] })).rows[0].uli);
const members = async () => (await db.execute('SELECT panel_id, patient_id, confirmed_on FROM panel_members ORDER BY 1, 2')).rows.map((r) => Object.values(r).join('|'));
const rowIds = (doc: Document) => [...doc.querySelectorAll('#members-table tbody tr')].map((tr) => Number(tr.id.replace('member-', '')));
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const auditRows = (action: string) => auditEntries(db, action);

const setup = async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'physician');
  // Main: 3 ready, 2 without a visit, 2 without a confirmation date, plus named patients below.
  main = await addClinicPanel(db, { name: 'Main', number: 'PNL-MAIN', patients: 3, withoutVisit: 2, withoutConfirmation: 2 });
  ids.smith = await addPatient({ uli: '123456789', last: 'Smith', first: 'Jan' });
  await join(main.panelId, ids.smith, '2026-01-02');
  await visit(ids.smith, '2026-10-01');
  // Deceased, unconfirmed and never seen: shown, never flagged.
  ids.smithers = await addPatient({ uli: '123999000', last: 'Smithers', first: 'Ann', status: 'deceased' });
  await join(main.panelId, ids.smithers, null);
  // A visit booked after today does not count as the last visit (as extraction says).
  ids.future = await addPatient({ uli: '555000111', last: 'Later', first: 'Kim' });
  await join(main.panelId, ids.future, '2026-03-03');
  await visit(ids.future, '2026-11-20');
  ids.outsider = await addPatient({ uli: '777000111', last: 'Smithson', first: 'Lee' });
  ids.inactivePanel = (await db.execute("INSERT INTO panels (name, active, created_at) VALUES ('Closed', 0, 0) RETURNING id")).rows[0].id as number;
  ({ app } = testApp(db));
  cookie = await signIn(app, 'clerk');
  physician = await signIn(app, 'physician');
};

// ---------------------------------------------------------------------------------------
const listing = suite('Members list');
listing.before(setup);

listing('every member by name with ULI, birth date, status, confirmation date and last visit', async () => {
  const res = await request(app, 'GET', list(main.panelId), { cookie });
  assert.is(res.status, 200);
  const doc = await dom(res);
  assert.equal(rowIds(doc).sort((a, b) => a - b), [...main.patientIds, ids.smith, ids.smithers, ids.future].sort((a, b) => a - b));
  const names = [...doc.querySelectorAll('#members-table tbody th.name')].map((th) => th.textContent);
  assert.equal(names.slice(0, 3), ['Later, Kim', 'Smith, Jan', 'Smithers, Ann']);
  const smith = doc.querySelector(`#member-${ids.smith}`)!;
  assert.equal([...smith.children].slice(1, 7).map((cell) => text(cell)), ['Smith, Jan', '123456789', '1975-03-04', 'Active', '2026-01-02', '2026-10-01']);
  const checkbox = smith.querySelector('input[type=checkbox]')!;
  assert.is(checkbox.getAttribute('form'), 'bulk-confirm');
  assert.is(checkbox.getAttribute('name'), 'patient_id');
  assert.is(checkbox.getAttribute('value'), String(ids.smith));
  assert.match(text(doc.querySelector('#members-summary .counts')), '10 members, 9 active');
});

listing('the last visit column ignores visits after today, as extraction does', async () => {
  const doc = await dom(await request(app, 'GET', list(main.panelId), { cookie }));
  assert.is(text(doc.querySelector(`#member-${ids.future} .last-visit`)), 'Missing');
});

listing('an ineligible member is shown with its status but never flagged', async () => {
  const doc = await dom(await request(app, 'GET', list(main.panelId), { cookie }));
  const row = doc.querySelector(`#member-${ids.smithers}`)!;
  assert.is(text(row.querySelector('.status')), 'Deceased not sent');
  assert.is(text(row.querySelector('.confirmed-on')), '—');
  assert.not.ok(row.classList.contains('flagged'));
  for (const problem of ['no_confirmation_date', 'no_last_visit']) {
    const filtered = await dom(await request(app, 'GET', list(main.panelId, `?problem=${problem}`), { cookie }));
    assert.not.ok(rowIds(filtered).includes(ids.smithers), problem);
  }
});

listing('readiness equals pipeline validation: each problem filter lists exactly the patients validatePanel names', async () => {
  const validation = validatePanel((await extractPanel(db, main.panelId, NOW))!);
  const page = await dom(await request(app, 'GET', list(main.panelId), { cookie }));
  for (const failure of validation.failures) {
    // Follow the very link the readiness summary (src/views/readiness.tsx) gives.
    const href = page.querySelector(`#readiness-${main.panelId} [data-reason=${failure.reason}] a`)!.getAttribute('href')!;
    assert.is(href, list(main.panelId, `?problem=${failure.reason}`));
    const filtered = await dom(await request(app, 'GET', href, { cookie }));
    assert.equal(rowIds(filtered).sort((a, b) => a - b), [...failure.patientIds].sort((a, b) => a - b), failure.reason);
    assert.ok(failure.patientIds.length > 0);
    for (const id of failure.patientIds) assert.ok(filtered.querySelector(`#member-${id}.flagged`), `${id} is marked`);
  }
  assert.equal(validation.failures.map((f) => f.reason), ['no_last_visit', 'no_confirmation_date']);
});

listing('a birth or confirmation date after today is a reason of its own, with its patients listed by its filter', async () => {
  const dated = await addClinicPanel(db, { name: 'Dated', patients: 3 });
  const [born, confirmed] = dated.patientIds;
  await db.execute({ sql: "UPDATE patients SET birth_date = '2026-11-11' WHERE id = ?", args: [born] });
  await db.execute({ sql: "UPDATE panel_members SET confirmed_on = '2026-11-11' WHERE patient_id = ?", args: [confirmed] });
  const page = await dom(await request(app, 'GET', list(dated.panelId), { cookie }));
  const reason = page.querySelector(`#readiness-${dated.panelId} [data-reason=date_in_future]`);
  assert.match(text(reason), '2 patients have a birth date or confirmation date in the future.');
  assert.is(text(page.querySelector('#members-summary [data-problem=date_in_future]')), 'Date in the future (2)');
  const filtered = await dom(await request(app, 'GET', reason!.querySelector('a')!.getAttribute('href')!, { cookie }));
  assert.equal(rowIds(filtered).sort((a, b) => a - b), [born, confirmed].sort((a, b) => a - b));
  for (const id of [born, confirmed]) assert.ok(filtered.querySelector(`#member-${id}.flagged`));
});

listing('the readiness summary comes first with the panel counts and filter links', async () => {
  const doc = await dom(await request(app, 'GET', list(main.panelId), { cookie }));
  assert.ok(doc.querySelector(`#members-summary #readiness-${main.panelId} .badge-not-ready`));
  assert.is(text(doc.querySelector('#members-summary [data-problem=no_last_visit]')), 'No last visit (3)');
  assert.is(text(doc.querySelector('#members-summary [data-problem=no_confirmation_date]')), 'No confirmation date (2)');
  assert.is(doc.querySelector('#members-summary [data-problem=all]')?.getAttribute('aria-current'), 'page');
});

listing('search by a part of the name, by ULI, or both; typed wildcards are literal', async () => {
  const found = async (q: string) => rowIds(await dom(await search(main.panelId, { q })));
  assert.equal(await found('mith'), [ids.smith, ids.smithers]);
  assert.equal(await found('SMITH jan'), [ids.smith]);
  assert.equal(await found('123456789'), [ids.smith]);
  assert.equal(await found('123'), [ids.smith, ids.smithers]);
  assert.equal(await found('%'), []);
  assert.equal(await found('Smithson'), [], 'not a member of this panel');
});

listing('the search box filters as one types with htmx, answering only the members region', async () => {
  const doc = await dom(await request(app, 'GET', list(main.panelId), { cookie }));
  const form = doc.querySelector('form#member-search')!;
  assert.is(form.getAttribute('method'), 'post');
  assert.is(form.getAttribute('hx-post'), `${list(main.panelId)}/search`);
  assert.match(form.getAttribute('hx-trigger') ?? '', /input changed delay:\d+ms/);
  assert.is(form.getAttribute('hx-target'), '#members');
  const res = await search(main.panelId, { q: 'smith' }, { htmx: true });
  const body = await res.text();
  assert.not.match(body, '<html');
  assert.not.match(body, 'members-summary');
  const fragment = (await dom(new Response(body))).querySelector('section')!;
  assert.is(fragment.id, 'members');
  assert.is(fragment.querySelectorAll('tbody tr').length, 2);
  // A history restore (no partial request) gets the whole page.
  const full = await search(main.panelId, { q: 'smith' }, { headers: { 'HX-Request': 'true', 'HX-Request-Type': 'full' } });
  assert.match(await full.text(), '<html');
});

listing('pages of 50, with links that keep the filter (a search keeps its pages by POST)', async () => {
  const big = await addClinicPanel(db, { name: 'Big', patients: 0, withoutConfirmation: 120 });
  const first = await dom(await request(app, 'GET', list(big.panelId), { cookie }));
  assert.is(rowIds(first).length, 50);
  assert.match(text(first.querySelector('#members-count')), 'Showing 1–50 of 120');
  const next = first.querySelector('.pages a[rel=next]')!.getAttribute('href')!;
  assert.is(next, list(big.panelId, '?page=2'));
  const third = await dom(await request(app, 'GET', list(big.panelId, '?page=3&problem=no_confirmation_date'), { cookie }));
  assert.is(rowIds(third).length, 20);
  assert.is(third.querySelector('.pages a[rel=prev]')?.getAttribute('href'), list(big.panelId, '?problem=no_confirmation_date&page=2'));
  const searched = await dom(await search(big.panelId, { q: 'pat', problem: 'no_confirmation_date', page: '3' }));
  assert.equal(rowIds(searched), rowIds(third));
  assert.ok(searched.querySelector('.pages form[method=post][data-rel=prev] input[name=q][value=pat]'));
  assert.match(text(third.querySelector('.pages')), 'Page 3 of 3');
  const all = new Set<number>();
  for (const n of [1, 2, 3]) for (const id of rowIds(await dom(await request(app, 'GET', list(big.panelId, `?page=${n}`), { cookie })))) all.add(id);
  assert.is(all.size, 120, 'the pages cover every member once');
  assert.equal(rowIds(await dom(await request(app, 'GET', list(big.panelId, '?page=99'), { cookie }))), rowIds(third), 'past the end: the last page');
});

listing('every view of the list is in the audit trail naming each patient shown', async () => {
  const before = (await auditRows('view')).length;
  const shown = rowIds(await dom(await search(main.panelId, { q: 'smith' }, { htmx: true })));
  const rows = await auditRows('view');
  assert.is(rows.length, before + 1);
  assert.is(shown.length, 2);
  assert.equal(rows[rows.length - 1], { object_type: 'panel_members', object_id: String(main.panelId), patient_count: 2,
    patientIds: shown, ulis: await Promise.all(shown.map(uliOf)) });
});

listing('an empty panel, reached from its "no patients" reason, says so and links to adding patients', async () => {
  const empty = await addClinicPanel(db, { name: 'Nobody yet', patients: 0 });
  const submissions = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie }));
  const href = submissions.querySelector(`#readiness-${empty.panelId} [data-reason=no_patients] a`)!.getAttribute('href')!;
  const doc = await dom(await request(app, 'GET', href, { cookie }));
  assert.match(text(doc.querySelector('#members .empty')), 'No patients are assigned to this panel yet.');
  assert.is(doc.querySelector('#members .empty a')?.getAttribute('href'), `${base(empty.panelId)}/candidates`);
  assert.not.ok(doc.querySelector('#bulk-confirm'));
});

listing('a missing, inactive or non-numeric panel is 404', async () => {
  for (const path of [list(99999), list(ids.inactivePanel), '/settings/cii-cpar/panels/abc/members', `${base(ids.inactivePanel)}/candidates?q=a`]) {
    const res = await request(app, 'GET', path, { cookie });
    assert.is(res.status, 404, path);
  }
  for (const panel of [99999, ids.inactivePanel]) assert.is((await request(app, 'POST', `${base(panel)}/members.csv`, { cookie })).status, 404);
});

listing('a panel shown, then renamed or deactivated elsewhere, is read again at the next GET', async () => {
  const seen = await addClinicPanel(db, { name: 'Seen', number: 'PNL-SEEN', patients: 2 });
  const heading = async () => text((await dom(await request(app, 'GET', list(seen.panelId), { cookie }))).querySelector('h1'));
  assert.match(await heading(), 'Seen');
  assert.match(await heading(), 'Seen', 'the same page again, kept');
  // Another portal (or the CLI) writes: the data version moves, whoever writes.
  await db.execute({ sql: "UPDATE panels SET name = 'Renamed' WHERE id = ?", args: [seen.panelId] });
  assert.match(await heading(), 'Renamed');
  await db.execute({ sql: 'UPDATE panels SET active = 0 WHERE id = ?', args: [seen.panelId] });
  assert.is((await request(app, 'GET', list(seen.panelId), { cookie })).status, 404, 'deactivated: no members page');
});

listing.run();

// ---------------------------------------------------------------------------------------
const confirm = suite('Confirming members');
confirm.before(setup);

confirm('one click confirms today in Edmonton (late evening, UTC already tomorrow) and swaps just the row', async () => {
  const late = testApp(db, new ManualClock('2026-11-10T22:30:00-07:00')).app; // 05:30Z on the 11th
  const lateCookie = await signIn(late, 'clerk');
  const patient = main.patientIds[5]; // no confirmation date
  const returnTo = list(main.panelId, '?problem=no_confirmation_date');
  const res = await request(late, 'POST', `${base(main.panelId)}/members/${patient}/confirmation`, { cookie: lateCookie, htmx: true, form: { return_to: returnTo } });
  assert.is(res.status, 200);
  assert.is(await confirmedOn(main.panelId, patient), '2026-11-10');
  const doc = await dom(res);
  const row = doc.querySelector('tr')!;
  assert.is(row.id, `member-${patient}`);
  assert.is(text(row.querySelector('.confirmed-on time')), '2026-11-10');
  assert.is(text(row.querySelector('.confirmed-on .recorded')), 'recorded by Test clerk, 2026-11-10 22:30', 'who recorded it, and when');
  assert.not.ok(row.querySelector('form[action$="/confirmation"]'), 'a row with a date offers no Confirm');
  assert.not.ok(row.classList.contains('flagged'));
  assert.not.ok(doc.querySelector('#members'), 'not the whole list');
  const partial = doc.querySelector('hx-partial')!;
  assert.is(partial.getAttribute('hx-target'), '#members-summary');
  assert.is(text(partial.querySelector('[data-problem=no_confirmation_date]')), 'No confirmation date (1)');
  // The row's forms go on returning to the list as it was.
  assert.is(row.querySelector('input[name=return_to]')?.getAttribute('value'), returnTo);
  assert.equal((await lastAudit(db, 'edit')).ulis, [await uliOf(patient)]);
});

confirm('a row without a date offers Confirm, posting to its resource and swapping its own row; a row with one does not', async () => {
  const doc = await dom(await request(app, 'GET', list(main.panelId), { cookie }));
  assert.not.ok(doc.querySelector(`#member-${ids.smith} form[action$="/confirmation"]`), 'Smith has a date: no Confirm');
  const patient = main.patientIds[6];
  const form = doc.querySelector(`#member-${patient} form[action$="/confirmation"]`)!;
  assert.is(form.getAttribute('method'), 'post');
  assert.is(form.getAttribute('action'), `${base(main.panelId)}/members/${patient}/confirmation`);
  assert.is(form.getAttribute('hx-post'), form.getAttribute('action'));
  assert.is(form.getAttribute('hx-target'), `#member-${patient}`);
  assert.is(form.getAttribute('hx-swap'), 'outerHTML');
});

confirm('without JavaScript, confirm answers 303 back to the list as it was (a searched list in place); a foreign return_to is ignored', async () => {
  const patient = main.patientIds[6];
  const unconfirm = () => db.execute({ sql: 'UPDATE panel_members SET confirmed_on = NULL WHERE panel_id = ? AND patient_id = ?', args: [main.panelId, patient] });
  await unconfirm();
  const res = await request(app, 'POST', `${base(main.panelId)}/members/${patient}/confirmation`, { cookie, form: { return_to: list(main.panelId, '?problem=no_confirmation_date&page=2') } });
  assert.is(res.status, 303);
  assert.is(res.headers.get('Location'), `${list(main.panelId, '?problem=no_confirmation_date&page=2')}#member-${patient}`);
  await unconfirm();
  const searched = await request(app, 'POST', `${base(main.panelId)}/members/${patient}/confirmation`, { cookie, form: { return_to: list(main.panelId, '?q=pat') } });
  assert.is(searched.status, 200);
  assert.is((await dom(searched)).querySelector('#member-search input[name=q]')?.getAttribute('value'), 'pat');
  for (const bad of ['https://evil.example/x', '//evil.example/settings', `${list(99)}?q=a`, `${list(main.panelId)}/../../../x`]) {
    await unconfirm();
    const r = await request(app, 'POST', `${base(main.panelId)}/members/${patient}/confirmation`, { cookie, form: { return_to: bad } });
    assert.is(r.headers.get('Location'), `${list(main.panelId)}#member-${patient}`, bad);
  }
});

confirm('confirming a patient of another panel, or on a missing panel, is 404 and changes nothing', async () => {
  const other = await addClinicPanel(db, { name: 'Other', patients: 0, withoutConfirmation: 1 });
  const before = await members();
  for (const path of [`${base(main.panelId)}/members/${other.patientIds[0]}/confirmation`, `${base(99999)}/members/${ids.smith}/confirmation`,
    `${base(ids.inactivePanel)}/members/${ids.smith}/confirmation`, `${base(main.panelId)}/members/${other.patientIds[0]}/removal`]) {
    assert.is((await request(app, 'POST', path, { cookie })).status, 404, path);
    const htmx = await request(app, 'POST', path, { cookie, htmx: true });
    assert.is(htmx.status, 404);
    assert.is(htmx.headers.get('HX-Retarget'), '#flash');
  }
  assert.equal(await members(), before);
});

confirm('a row that already has a date is never stamped over by Confirm: 409, the date kept, the reason said', async () => {
  const before = await members();
  for (const htmx of [true, false]) {
    const res = await request(app, 'POST', `${base(main.panelId)}/members/${ids.smith}/confirmation`, { cookie, htmx, form: { return_to: list(main.panelId) } });
    assert.is(res.status, 409);
    assert.match(text((await dom(res)).querySelector('[role=alert]')), 'already has a confirmation date; it was kept');
  }
  assert.equal(await members(), before);
  assert.is(await confirmedOn(main.panelId, ids.smith), '2026-01-02');
});

confirm('bulk confirm fills only missing dates: dates already recorded are kept, and it says how many', async () => {
  const panel = await addClinicPanel(db, { name: 'Bulk', patients: 2, withoutConfirmation: 3 });
  const foreign = await addClinicPanel(db, { name: 'Foreign', patients: 1 });
  await db.execute({ sql: 'UPDATE panel_members SET confirmed_on = ? WHERE panel_id = ? AND patient_id = ?', args: ['2026-11-01', panel.panelId, panel.patientIds[0]] });
  const chosen = [...panel.patientIds.slice(2), panel.patientIds[0], panel.patientIds[1], foreign.patientIds[0], 999999, panel.patientIds[2]];
  const body = new URLSearchParams([['return_to', list(panel.panelId)], ['confirmed_on', '2026-11-01'], ...chosen.map((id) => ['patient_id', String(id)])]);
  const res = await app.request(`http://localhost${base(panel.panelId)}/confirmations`, {
    method: 'POST', body: body.toString(),
    headers: { Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded', 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
  });
  assert.is(res.status, 200);
  const doc = await dom(res);
  assert.is(text(doc.querySelector('#members [role=status] p')), '3 patients confirmed on 2026-11-01. 2 were already confirmed and kept their date.');
  assert.ok(doc.querySelector('#members [role=status] form[action$="/undo"] button'), 'Undo is offered');
  assert.ok(doc.querySelector('hx-partial[hx-target="#members-summary"]'));
  assert.equal(await Promise.all(panel.patientIds.map((id) => confirmedOn(panel.panelId, id))),
    ['2026-11-01', '2026-06-01', '2026-11-01', '2026-11-01', '2026-11-01'], 'the existing 2026-06-01 is kept');
  assert.is(await confirmedOn(foreign.panelId, foreign.patientIds[0]), '2026-06-01', 'another panel is untouched');
  assert.equal(await lastAudit(db, 'edit'), { object_type: 'panel_member', object_id: String(panel.panelId), patient_count: 3,
    patientIds: panel.patientIds.slice(2), ulis: await Promise.all(panel.patientIds.slice(2).map(uliOf)) }, 'the three confirmed, not the two kept');
});

confirm('bulk confirm without JavaScript redirects to the list, whose notice and Undo come from the database', async () => {
  const panel = await addClinicPanel(db, { name: 'NoJS', patients: 0, withoutConfirmation: 2 });
  const res = await request(app, 'POST', `${base(panel.panelId)}/confirmations`, { cookie, form: { patient_id: String(panel.patientIds[0]), return_to: list(panel.panelId, '?problem=no_confirmation_date') } });
  assert.is(res.status, 303);
  const location = res.headers.get('Location')!;
  const changeId = await count(db, 'SELECT max(id) FROM member_changes');
  assert.is(location, list(panel.panelId, `?problem=no_confirmation_date&change=${changeId}`));
  assert.is(await confirmedOn(panel.panelId, panel.patientIds[0]), '2026-11-10', 'today by default');
  const doc = await dom(await request(app, 'GET', location, { cookie }));
  assert.is(text(doc.querySelector('#members [role=status] p')), '1 patient confirmed on 2026-11-10.');
  assert.is(doc.querySelector('#members [role=status] form')?.getAttribute('action'), `${base(panel.panelId)}/member-changes/${changeId}/undo`);
  assert.equal(rowIds(doc), [panel.patientIds[1]]);
});

confirm('a bad or future date, or no patient, is refused with 422 and a clear message; nothing changes', async () => {
  const panel = await addClinicPanel(db, { name: 'Refused', patients: 0, withoutConfirmation: 2 });
  const before = await members();
  const cases: [string, string, RegExp][] = [
    ['2026-02-30', String(panel.patientIds[0]), /not a date/],
    ['next week', String(panel.patientIds[0]), /not a date/],
    ['2026-11-11', String(panel.patientIds[0]), /cannot be in the future: today is 2026-11-10/],
    ['2026-11-01', '', /Select at least one patient/],
  ];
  for (const [date, patient, message] of cases) {
    for (const htmx of [true, false]) {
      const form: Record<string, string> = { confirmed_on: date, return_to: list(panel.panelId) };
      if (patient) form.patient_id = patient;
      const res = await request(app, 'POST', `${base(panel.panelId)}/confirmations`, { cookie, htmx, form });
      assert.is(res.status, 422, `${date} htmx=${htmx}`);
      const doc = await dom(res);
      assert.match(text(doc.querySelector('#bulk-error')), message);
      assert.is(doc.querySelector('#confirmed-on')?.getAttribute('value'), date, 'the typed date is kept');
      assert.is(doc.querySelector('#confirmed-on')?.getAttribute('aria-invalid'), 'true');
      if (patient) assert.ok(doc.querySelector(`#member-${patient} input[type=checkbox]`)?.hasAttribute('checked'), 'the ticks are kept');
      assert.is(Boolean(doc.querySelector('html')), !htmx);
    }
  }
  assert.equal(await members(), before);
});

confirm('"confirm all shown by this filter" confirms every flagged member, on every page, and the panel becomes Ready', async () => {
  const panel = await addClinicPanel(db, { name: 'All of them', patients: 2, withoutConfirmation: 60 });
  const before = await dom(await request(app, 'GET', list(panel.panelId), { cookie }));
  assert.ok(before.querySelector(`#readiness-${panel.panelId} .badge-not-ready`));
  const filtered = await dom(await request(app, 'GET', list(panel.panelId, '?problem=no_confirmation_date'), { cookie }));
  const button = filtered.querySelector('#bulk-confirm button[name=scope][value=filter]')!;
  assert.is(text(button), 'Confirm the 60 without a date shown by this filter');
  const res = await request(app, 'POST', `${base(panel.panelId)}/confirmations`, { cookie, htmx: true,
    form: { scope: 'filter', confirmed_on: '', return_to: list(panel.panelId, '?problem=no_confirmation_date') } });
  assert.is(res.status, 200);
  const doc = await dom(res);
  assert.is(text(doc.querySelector('#members [role=status] p')), '60 patients confirmed on 2026-11-10.');
  assert.ok(doc.querySelector(`hx-partial #readiness-${panel.panelId} .badge-ready`), 'the summary swapped in says Ready');
  const after = await dom(await request(app, 'GET', list(panel.panelId), { cookie }));
  assert.is(text(after.querySelector(`#readiness-${panel.panelId}`)), 'Ready');
  assert.is(await count(db, 'SELECT count(*) FROM panel_members WHERE panel_id = ? AND confirmed_on IS NULL', [panel.panelId]), 0);
});

confirm.run();

// ---------------------------------------------------------------------------------------
const change = suite('Removing and adding members');
change.before(setup);

change('remove takes the patient off the panel, not out of the clinic; the htmx answer empties the row', async () => {
  const doc = await dom(await request(app, 'GET', list(main.panelId), { cookie }));
  const form = doc.querySelector(`#member-${ids.future} form[action$="/removal"]`)!;
  assert.is(form.getAttribute('hx-target'), `#member-${ids.future}`);
  assert.is(form.getAttribute('hx-swap'), 'outerHTML swapEmpty:true');
  const res = await request(app, 'POST', `${base(main.panelId)}/members/${ids.future}/removal`, { cookie, htmx: true, form: { return_to: list(main.panelId) } });
  assert.is(res.status, 200);
  const fragment = await dom(res);
  assert.not.ok(fragment.querySelector('tr'));
  assert.ok(fragment.querySelector('hx-partial[hx-target="#members-summary"] #members-summary'));
  assert.is(await confirmedOn(main.panelId, ids.future), 'not a member');
  assert.is(await count(db, 'SELECT count(*) FROM patients WHERE id = ?', [ids.future]), 1);
  assert.equal((await lastAudit(db, 'delete')).ulis, ['555000111']);
});

change('remove without JavaScript redirects back with a notice that names no one', async () => {
  const patient = main.patientIds[0];
  const res = await request(app, 'POST', `${base(main.panelId)}/members/${patient}/removal`, { cookie, form: { return_to: list(main.panelId, '?problem=no_last_visit') } });
  assert.is(res.status, 303);
  assert.is(res.headers.get('Location'), list(main.panelId, '?problem=no_last_visit&removed=1'));
  const doc = await dom(await request(app, 'GET', res.headers.get('Location')!, { cookie }));
  assert.is(text(doc.querySelector('#members [role=status]')), 'The patient was removed from this panel. The patient record is kept.');
  assert.not.ok(rowIds(doc).includes(patient));
});

change('candidates are patients not on the panel matching the search; htmx gets only the results', async () => {
  const page = await dom(await request(app, 'GET', `${base(main.panelId)}/candidates`, { cookie }));
  assert.ok(page.querySelector('#candidate-search[method=post]'));
  assert.is(page.querySelectorAll('#candidates tbody tr').length, 0, 'nobody listed before a search');
  const res = await findCandidates(main.panelId, 'smith', true);
  const body = await res.text();
  assert.not.match(body, '<html');
  const doc = await dom(new Response(body));
  assert.equal([...doc.querySelectorAll('#candidates tbody tr')].map((tr) => tr.id), [`candidate-${ids.outsider}`]);
  assert.is(doc.querySelector('#add-members')?.getAttribute('hx-post'), list(main.panelId));
});

change('at most 20 candidates, with a hint to narrow the search', async () => {
  await addClinicPanel(db, { name: 'Crowd', patients: 25 });
  const empty = await addClinicPanel(db, { name: 'Empty', patients: 0 });
  const doc = await dom(await findCandidates(empty.panelId, 'testperson'));
  assert.is(doc.querySelectorAll('#candidates tbody tr').length, 20);
  assert.match(text(doc.querySelector('#candidates')), 'More patients match');
  const shown = [...doc.querySelectorAll('#candidates tbody tr input[name=patient_id]')].map((i) => Number(i.getAttribute('value')));
  assert.is(shown.length, 20);
  assert.equal(await lastAudit(db, 'view'), { object_type: 'patient_search', object_id: String(empty.panelId), patient_count: 20,
    patientIds: shown, ulis: await Promise.all(shown.map(uliOf)) }, 'the 20 patients returned');
});

change('adding patients counts who was added, who was already on the panel and who does not exist', async () => {
  const body = new URLSearchParams([['q', 'smith'], ['patient_id', String(ids.outsider)], ['patient_id', String(ids.smith)], ['patient_id', '999999']]);
  const res = await app.request(`http://localhost${list(main.panelId)}`, {
    method: 'POST', body: body.toString(),
    headers: { Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded', 'HX-Request': 'true', 'HX-Request-Type': 'partial' },
  });
  assert.is(res.status, 200);
  const doc = await dom(res);
  assert.is(text(doc.querySelector('#candidates [role=status]')), '1 patient added to this panel. 1 was already on it. 1 could not be found.');
  assert.is(doc.querySelectorAll('#candidates tbody tr').length, 0, 'the added patient is no longer a candidate');
  assert.is(await confirmedOn(main.panelId, ids.outsider), null, 'added without a confirmation date');
  assert.is(await confirmedOn(main.panelId, ids.smith), '2026-01-02', 'an existing member is untouched');
  assert.is(await count(db, 'SELECT count(*) FROM panel_members WHERE panel_id = ? AND patient_id = ?', [main.panelId, ids.smith]), 1);
  assert.equal(await lastAudit(db, 'create'), { object_type: 'panel_member', object_id: String(main.panelId), patient_count: 1,
    patientIds: [ids.outsider], ulis: [await uliOf(ids.outsider)] }, 'the one added, not the member nor the unknown id');
  const listed = await dom(await request(app, 'GET', list(main.panelId, '?problem=no_confirmation_date'), { cookie }));
  assert.ok(rowIds(listed).includes(ids.outsider), 'and is flagged until confirmed');
});

change('adding without JavaScript redirects to the candidates page with the counts (the search left behind); adding nobody is a 422', async () => {
  const extra = await addPatient({ uli: '888000111', last: 'Newcomer', first: 'Sam' });
  const res = await request(app, 'POST', list(main.panelId), { cookie, form: { q: 'newcomer', patient_id: String(extra) } });
  assert.is(res.status, 303);
  const doc = await dom(await request(app, 'GET', res.headers.get('Location')!, { cookie }));
  assert.is(text(doc.querySelector('#candidates [role=status]')), '1 patient added to this panel.');
  const before = await members();
  const none = await request(app, 'POST', list(main.panelId), { cookie, htmx: true, form: { q: 'smith' } });
  assert.is(none.status, 422);
  assert.match(text((await dom(none)).querySelector('#add-error')), 'Select at least one patient to add.');
  assert.equal(await members(), before);
});

change.run();

// ---------------------------------------------------------------------------------------
const csv = suite('CSV export');
csv.before(setup);

csv('every member, not paginated, with a header row, as a UTF-8 attachment named after the panel', async () => {
  const big = await addClinicPanel(db, { name: 'Export', number: 'PNL/7 "x"', patients: 130 });
  const res = await request(app, 'POST', `${base(big.panelId)}/members.csv`, { cookie });
  assert.is(res.status, 200);
  assert.is(res.headers.get('Content-Type'), 'text/csv; charset=utf-8');
  assert.is(res.headers.get('Content-Disposition'), 'attachment; filename="panel-PNL-7--x--members-2026-11-10.csv"');
  assert.is(res.headers.get('Cache-Control'), 'no-store');
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark for spreadsheets');
  const lines = new TextDecoder().decode(bytes).split('\r\n');
  assert.is(lines[0], 'ULI,Last name,First name,Date of birth,Gender,Confirmation date,Last visit date,Status');
  assert.is(lines.length, 1 + 130 + 1, 'header, every member, final CRLF');
  assert.is(lines[131], '');
  assert.match(lines[1], /^\d{9},Testperson,Pat0,1980-05-17,F,2026-06-01,2026-09-01,Active$/);
  const named = await request(app, 'POST', `${base(main.panelId)}/members.csv`, { cookie });
  assert.match(named.headers.get('Content-Disposition') ?? '', 'filename="panel-PNL-MAIN-members-2026-11-10.csv"');
});

csv('commas, quotes and line breaks are quoted; formula starts get a leading quote', async () => {
  const panel = await addClinicPanel(db, { name: 'Escapes', patients: 0 });
  const tricky = await addPatient({ uli: '999888777', last: 'Doe, "Jr"\nthe 2nd', first: '=HYPERLINK("http://x")' });
  await join(panel.panelId, tricky, null);
  const plus = await addPatient({ uli: '999888776', last: '+1', first: '@SUM(A1)', status: 'moved_away' });
  await join(panel.panelId, plus, '2026-02-03');
  const body = await (await request(app, 'POST', `${base(panel.panelId)}/members.csv`, { cookie })).text();
  assert.ok(body.includes('999888777,"Doe, ""Jr""\nthe 2nd","\'=HYPERLINK(""http://x"")",1975-03-04,M,,,Active\r\n'), body);
  assert.ok(body.includes("999888776,'+1,'@SUM(A1),1975-03-04,M,2026-02-03,,Moved away\r\n"), body);
});

csv('every export is in the audit trail naming every patient exported', async () => {
  const body = await (await request(app, 'POST', `${base(main.panelId)}/members.csv`, { cookie })).text();
  const exported = body.split('\r\n').slice(1, -1).map((line) => line.split(',')[0]);
  assert.is(exported.length, 10);
  const entry = await lastAudit(db, 'export');
  assert.equal({ ...entry, ulis: [...entry.ulis].sort() }, { object_type: 'panel_members', object_id: String(main.panelId), patient_count: 10,
    patientIds: entry.patientIds, ulis: [...exported].sort() });
});

csv.run();

// ---------------------------------------------------------------------------------------
const guard = suite('Permission');
guard.before(setup);

guard('a user without the CII/CPAR settings permission gets 403 on every members route, GET and POST, and nothing changes', async () => {
  const p = main.panelId;
  const routes: ['GET' | 'POST', string, Record<string, string>?][] = [
    ['GET', list(p)], ['GET', list(p, '?problem=no_last_visit')], ['POST', `${base(p)}/members.csv`], ['GET', `${base(p)}/candidates`], ['POST', `${base(p)}/candidates/search`, { q: 'smith' }], ['POST', `${list(p)}/search`, { q: 'smith' }],
    ['POST', `${base(p)}/members/${ids.smithers}/confirmation`], ['POST', `${base(p)}/members/${ids.smith}/removal`],
    ['POST', `${base(p)}/confirmations`, { patient_id: String(ids.smithers) }], ['POST', list(p), { patient_id: String(ids.outsider) }],
  ];
  const before = await members();
  const viewsBefore = await count(db, "SELECT count(*) FROM audit_log WHERE action IN ('view', 'export', 'edit', 'create', 'delete')");
  for (const [method, path, form] of routes) {
    for (const htmx of [false, true]) {
      const res = await request(app, method, path, { cookie: physician, htmx, form });
      assert.is(res.status, 403, `${method} ${path} htmx=${htmx}`);
      const body = await res.text();
      assert.match(body, 'CII/CPAR settings');
      assert.not.match(body, 'Smith', 'no patient data');
    }
  }
  assert.equal(await members(), before);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action IN ('view', 'export', 'edit', 'create', 'delete')"), viewsBefore);
});

guard.run();
