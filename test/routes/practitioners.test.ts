import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, addPanel, testApp, request, signIn, dom, count } from '../support/app.ts';

const practitioners = suite('Practitioners and their Practitioner IDs');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let cookie: string;
const ids: Record<string, number> = {};

async function add(name: string, practitionerId: string | null) {
  const r = await db.execute({ sql: 'INSERT INTO practitioners (name, practitioner_id) VALUES (?, ?) RETURNING id', args: [name, practitionerId] });
  return Number(r.rows[0].id);
}

async function storedId(id: number) {
  const r = await db.execute({ sql: 'SELECT practitioner_id FROM practitioners WHERE id = ?', args: [id] });
  return r.rows[0].practitioner_id;
}

async function allIds() {
  const r = await db.execute('SELECT json_group_array(json_array(id, practitioner_id)) AS all_ids FROM practitioners');
  return String(r.rows[0].all_ids);
}

const editUrl = (id: number) => `/settings/practitioners/${id}`;

practitioners.before(async () => {
  db = await freshDb();
  await addUser(db, 'admin', ['manage_users']);
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  ids.lee = await add('Dr. Ada Lee', '104823');
  ids.brandt = await add('dr. Felix Brandt', null);
  ids.old = await add('Dr. Old Import', 'AB-12');
  const cpar = await addPanel(db, 'Lee CPAR panel', { number: 'PNL-1' });
  const regular = await addPanel(db, 'Lee regular panel', { cpar: false });
  const gone = await addPanel(db, 'Lee closed panel', { active: false, number: 'PNL-2' });
  for (const panel of [cpar, regular, gone]) {
    await db.execute({ sql: 'INSERT INTO panel_practitioners (panel_id, practitioner_id) VALUES (?, ?), (?, ?)', args: [panel, ids.lee, panel, ids.brandt] });
  }
  ({ app } = testApp(db));
  cookie = await signIn(app, 'admin');
});

async function listDoc() {
  const res = await request(app, 'GET', '/settings/practitioners', { cookie });
  assert.is(res.status, 200);
  return dom(res);
}

practitioners('lists every practitioner alphabetically with their ID and their panels', async () => {
  const doc = await listDoc();
  const rows = [...doc.querySelectorAll('#practitioners tbody tr')];
  assert.equal(rows.map((r) => r.querySelector('th')?.textContent),
    ['Dr. Ada Lee', 'dr. Felix Brandt', 'Dr. Lee closed panel', 'Dr. Lee CPAR panel', 'Dr. Lee regular panel', 'Dr. Old Import']);
  const lee = doc.querySelector(`#practitioner-${ids.lee}`)!;
  assert.is(lee.querySelector('.prac-id')?.textContent, '104823');
  const panels = [...lee.querySelectorAll('.panels-cell li')].map((li) => li.textContent?.trim());
  assert.equal(panels, ['Lee CPAR panel CPAR', 'Lee regular panel', 'Lee closed panel (inactive)']);
  assert.is(lee.querySelector(`a[href="/settings/practitioners/${ids.lee}/edit"]`)?.textContent, 'Edit Practitioner ID of Dr. Ada Lee');
});

practitioners('a blank Practitioner ID is flagged; an imported malformed one asks to be checked', async () => {
  const doc = await listDoc();
  assert.is(doc.querySelector(`#practitioner-${ids.brandt} .badge-no-prac-id`)?.textContent, 'No Practitioner ID');
  assert.not.ok(doc.querySelector(`#practitioner-${ids.lee} .badge-no-prac-id`));
  assert.ok(doc.querySelector(`#practitioner-${ids.old} .badge-check-prac-id`));
  assert.is(doc.querySelector('#missing-summary')?.textContent, '1 practitioner has no Practitioner ID.');
});

practitioners('the edit form shows the ID and says which CPAR panels fail while it is blank', async () => {
  const res = await request(app, 'GET', `/settings/practitioners/${ids.brandt}/edit`, { cookie });
  assert.is(res.status, 200);
  const form = (await dom(res)).querySelector('form#practitioner-form')!;
  assert.is(form.getAttribute('action'), editUrl(ids.brandt));
  assert.is(form.getAttribute('hx-post'), editUrl(ids.brandt));
  assert.is(form.getAttribute('hx-target'), '#practitioner-form');
  assert.is(form.querySelector('input[name=practitionerId]')?.getAttribute('value'), '');
  assert.match(form.querySelector('#practitioner-id-hint')?.textContent ?? '', 'every CPAR panel with dr. Felix Brandt fails its submission: “Lee CPAR panel”.');
});

practitioners('a well-formed ID is saved, trimmed, and the edit audited', async () => {
  const res = await request(app, 'POST', editUrl(ids.brandt), { cookie, form: { practitionerId: ' 12345 ' } });
  assert.is(res.status, 303);
  assert.is(res.headers.get('Location'), `/settings/practitioners#practitioner-${ids.brandt}`);
  assert.is(await storedId(ids.brandt), '12345');
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'edit' AND object_type = 'practitioner' AND object_id = ?", [String(ids.brandt)]), 1);
  const htmx = await request(app, 'POST', editUrl(ids.brandt), { cookie, form: { practitionerId: '123456789' }, htmx: true });
  assert.is(htmx.status, 204);
  assert.is(htmx.headers.get('HX-Redirect'), `/settings/practitioners#practitioner-${ids.brandt}`);
  assert.is(await storedId(ids.brandt), '123456789');
});

practitioners('a malformed ID is refused at 422 with the value kept, in place or as a page, changing nothing', async () => {
  const before = await allIds();
  for (const bad of ['1234', '1234567890', '12a456', '123-456', '12 3456', '１２３４５６']) {
    const res = await request(app, 'POST', editUrl(ids.lee), { cookie, form: { practitionerId: bad }, htmx: true });
    assert.is(res.status, 422, bad);
    const doc = await dom(res);
    assert.not.ok(doc.querySelector('header'));
    assert.is(doc.querySelector('form#practitioner-form input[name=practitionerId]')?.getAttribute('value'), bad);
    assert.is(doc.querySelector('#practitioner-id-error')?.textContent, 'A Practitioner ID is 5 to 9 digits, with no letters, spaces or dashes.');
  }
  const page = await request(app, 'POST', editUrl(ids.lee), { cookie, form: { practitionerId: 'ABC' } });
  assert.is(page.status, 422);
  const doc = await dom(page);
  assert.ok(doc.querySelector('header nav'));
  assert.is(doc.querySelector('main input[name=practitionerId]')?.getAttribute('value'), 'ABC');
  assert.is(await allIds(), before);
});

practitioners('a blank ID is allowed: stored as none and flagged on the list', async () => {
  const res = await request(app, 'POST', editUrl(ids.lee), { cookie, form: { practitionerId: '   ' } });
  assert.is(res.status, 303);
  assert.is(await storedId(ids.lee), null);
  const doc = await listDoc();
  assert.ok(doc.querySelector(`#practitioner-${ids.lee} .badge-no-prac-id`));
});

practitioners('a missing practitioner answers 404', async () => {
  assert.is((await request(app, 'GET', '/settings/practitioners/98765/edit', { cookie })).status, 404);
  assert.is((await request(app, 'POST', editUrl(98765), { cookie, form: { practitionerId: '12345' } })).status, 404);
  assert.is((await request(app, 'POST', editUrl(98765), { cookie, form: { practitionerId: 'bad' } })).status, 404);
});

practitioners('a user without Modify user permissions gets 403 on every route and changes nothing', async () => {
  const clerk = await signIn(app, 'clerk');
  const before = await allIds();
  for (const htmx of [false, true]) {
    for (const path of ['/settings/practitioners', `/settings/practitioners/${ids.old}/edit`]) {
      assert.is((await request(app, 'GET', path, { cookie: clerk, htmx })).status, 403, path);
    }
    assert.is((await request(app, 'POST', editUrl(ids.old), { cookie: clerk, htmx, form: { practitionerId: '55555' } })).status, 403);
  }
  assert.is(await allIds(), before);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'edit' AND object_id = ?", [String(ids.old)]), 0);
});

practitioners.run();
