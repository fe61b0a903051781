// A patient's ULI or name typed into a search stays out of every URL: the member and candidate
// searches are POSTs, their pages carry the search in POST bodies, and no Location header
// after a change names it — with and without JavaScript.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHTML } from 'linkedom';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, type RequestOptions } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

const urls = suite('searches keep patients out of URLs');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let cookie: string;
let panelId: number;
let patientIds: number[];
let outsider: number;
let ULI: string; // the 8th patient of the clinic below
const OUTSIDER_ULI = '777666555';

urls.before(async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  ({ app } = testApp(db));
  cookie = await signIn(app, 'clerk');
  // 60 members with the same last name and no confirmation date: more than one page of 50.
  ({ panelId, patientIds } = await addClinicPanel(db, { name: 'Main', patients: 0, withoutConfirmation: 60 }));
  ULI = await uliOf(patientIds[7]);
  const r = await db.execute({ sql: `INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES (?, 'Outsider', 'Olu', '1970-01-01', 'F') RETURNING id`, args: [OUTSIDER_ULI] });
  outsider = Number(r.rows[0].id);
});

const base = () => `/settings/cii-cpar/panels/${panelId}`;
const uliOf = async (id: number) => String((await db.execute({ sql: 'SELECT uli FROM patients WHERE id = ?', args: [id] })).rows[0].uli);
const SECRETS = () => [ULI, OUTSIDER_ULI, 'Testperson', 'testperson', 'Outsider', 'outsider', 'Pat7'];

/** Every address a page can make the browser load or show: links, form targets, htmx requests, Location. */
function addresses(html: string): string[] {
  const doc = parseHTML(html).document;
  const found: string[] = [];
  for (const el of doc.querySelectorAll('[href], [action], [formaction], [hx-get], [hx-post], [src]')) {
    for (const name of ['href', 'action', 'formaction', 'hx-get', 'hx-post', 'src']) {
      const value = el.getAttribute(name);
      if (value !== null) found.push(value);
    }
  }
  for (const form of doc.querySelectorAll('form')) {
    if ((form.getAttribute('method') ?? 'get').toLowerCase() === 'get') found.push(`GET form ${form.getAttribute('action')} with ${[...form.querySelectorAll('[name]')].map((i) => i.getAttribute('name')).join(',')}`);
  }
  return found;
}

function expectNoPatientIn(where: string, values: (string | null)[]) {
  for (const value of values) {
    if (value === null) continue;
    const decoded = decodeURIComponent(value.replace(/\+/g, ' '));
    for (const secret of SECRETS()) assert.not.ok(decoded.includes(secret), `${where}: "${secret}" in ${value}`);
    assert.not.ok(/[?&]q=/.test(value), `${where}: a search in ${value}`);
  }
}

async function send(method: 'GET' | 'POST', path: string, options: RequestOptions) {
  const res = await request(app, method, path, { cookie, ...options });
  const html = await res.text();
  expectNoPatientIn(`${method} ${path}`, [res.headers.get('Location'), res.headers.get('HX-Location'), res.headers.get('HX-Push-Url'), ...addresses(html)]);
  return { res, html, doc: parseHTML(html).document };
}

urls('the search forms are POSTs, with and without htmx', async () => {
  for (const path of [`${base()}/members`, `${base()}/candidates`]) {
    const { doc } = await send('GET', path, {});
    const form = doc.querySelector('form[role=search]')!;
    assert.is(form.getAttribute('method'), 'post', path);
    assert.ok(form.getAttribute('hx-post'), path);
    assert.not.ok(form.getAttribute('hx-get'), path);
  }
});

urls('searching members by ULI finds the patient; nothing on the page or in its addresses names them', async () => {
  for (const htmx of [false, true]) {
    const { res, html, doc } = await send('POST', `${base()}/members/search`, { htmx, form: { q: ULI } });
    assert.is(res.status, 200);
    assert.equal([...doc.querySelectorAll('#members-table tbody tr')].map((tr) => tr.id), [`member-${patientIds[7]}`]);
    assert.match(html, ULI, 'the result itself shows the ULI');
  }
});

urls('a q in the members or candidates address is not read', async () => {
  const members = await request(app, 'GET', `${base()}/members?q=${ULI}`, { cookie });
  assert.is(parseHTML(await members.text()).document.querySelectorAll('#members-table tbody tr').length, 50);
  const candidates = await request(app, 'GET', `${base()}/candidates?q=${OUTSIDER_ULI}`, { cookie });
  assert.not.match(await candidates.text(), 'Outsider');
});

urls('the pages of a search are POSTs that keep it; filters and plain pages stay links', async () => {
  const first = await send('POST', `${base()}/members/search`, { form: { q: 'testperson', problem: 'no_confirmation_date' } });
  assert.match(first.doc.querySelector('#members-count')!.textContent!, 'Showing 1–50 of 60');
  const next = first.doc.querySelector('.pages form[data-rel=next]')!;
  assert.is(next.getAttribute('method'), 'post');
  const fields = Object.fromEntries([...next.querySelectorAll('input')].map((i) => [i.getAttribute('name')!, i.getAttribute('value')!]));
  assert.equal(fields, { q: 'testperson', problem: 'no_confirmation_date', page: '2' });
  const second = await send('POST', next.getAttribute('action')!, { form: fields });
  assert.match(second.doc.querySelector('#members-count')!.textContent!, 'Showing 51–60 of 60');
  assert.is(second.doc.querySelector('#member-search input[name=q]')!.getAttribute('value'), 'testperson');
  const plain = await send('GET', `${base()}/members?problem=no_confirmation_date`, {});
  assert.is(plain.doc.querySelector('.pages a[rel=next]')!.getAttribute('href'), `${base()}/members?problem=no_confirmation_date&page=2`);
});

urls('changes made from a search, with and without JavaScript, put no ULI or name in a Location', async () => {
  const searched = await send('POST', `${base()}/members/search`, { form: { q: ULI } });
  const returnTo = searched.doc.querySelector('#bulk-confirm input[name=return_to]')!.getAttribute('value')!;
  for (const [htmx, patient] of [[false, patientIds[20]], [true, patientIds[21]]] as const) {
    const one = await send('POST', `${base()}/members/${patient}/confirmation`, { htmx, form: { return_to: returnTo } });
    assert.is(one.res.status, 200);
  }
  // Without JavaScript the searched list comes back in place of a redirect, with the report.
  const bulk = await send('POST', `${base()}/confirmations`, { form: { return_to: returnTo, confirmed_on: '2026-11-01', scope: 'filter' } });
  assert.is(bulk.res.status, 200);
  assert.is(bulk.doc.querySelector('#member-search input[name=q]')!.getAttribute('value'), ULI);
  const undo = bulk.doc.querySelector('#members .notice form')!;
  const undone = await send('POST', undo.getAttribute('action')!, { form: { return_to: undo.querySelector('input[name=return_to]')!.getAttribute('value')! } });
  assert.is(undone.res.status, 200);
  assert.match(undone.doc.querySelector('#members .notice')!.textContent!, 'Undone');
  const review = await send('POST', `${base()}/removals`, { form: { return_to: returnTo, patient_id: String(patientIds[7]) } });
  assert.ok(review.doc.querySelector('form[data-rel] button, #members form.inline button.link'), 'Cancel keeps the search by POST');
  for (const htmx of [false, true]) {
    await send('POST', `${base()}/removals`, { htmx, form: { return_to: returnTo, patient_id: String(patientIds[8]), confirm: 'yes' } });
  }
  const removed = await send('POST', `${base()}/members/${patientIds[7]}/removal`, { form: { return_to: returnTo } });
  assert.is(removed.res.status, 200);
  // Without a search, the redirect with its report is kept.
  const plain = await send('POST', `${base()}/members/${patientIds[9]}/confirmation`, { form: { return_to: `${base()}/members?page=2` } });
  assert.is(plain.res.status, 303);
  assert.is(plain.res.headers.get('Location'), `${base()}/members?page=2#member-${patientIds[9]}`);
});

urls('candidate search and adding, with and without JavaScript, put no ULI or name in a URL', async () => {
  for (const htmx of [false, true]) {
    const found = await send('POST', `${base()}/candidates/search`, { htmx, form: { q: OUTSIDER_ULI } });
    assert.ok(found.doc.querySelector(`#candidate-${outsider}`), `found (htmx=${htmx})`);
  }
  const added = await send('POST', `${base()}/members`, { form: { q: OUTSIDER_ULI, patient_id: String(outsider) } });
  assert.is(added.res.status, 303);
  const report = await send('GET', added.res.headers.get('Location')!, {});
  assert.match(report.doc.querySelector('#candidates [role=status]')!.textContent!, '1 patient added to this panel.');
});

urls.run();
