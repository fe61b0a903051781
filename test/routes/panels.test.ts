import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, addPanel, addSubmission, testApp, request, signIn, dom, count, ORIGIN } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

const panels = suite('Panels page and panel form');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let cookie: string;
const ids: Record<string, number> = {};
const users: Record<string, number> = {};

/** A form POST; repeated keys (checked practitioners) need pairs, which request() cannot send. */
function post(path: string, pairs: [string, string][], options: { htmx?: boolean; as?: string } = {}) {
  const headers: Record<string, string> = {
    Origin: ORIGIN, Cookie: options.as ?? cookie, 'Content-Type': 'application/x-www-form-urlencoded',
  };
  if (options.htmx) Object.assign(headers, { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
  return app.request(`${ORIGIN}${path}`, { method: 'POST', headers, body: new URLSearchParams(pairs).toString(), redirect: 'manual' });
}

type Fields = { name?: string; practitioners?: number[]; number?: string; cpar?: boolean; recipient?: number | null };
function fields(f: Fields): [string, string][] {
  return [
    ['name', f.name ?? ''],
    ...(f.practitioners ?? []).map((id): [string, string] => ['practitionerIds', String(id)]),
    ['panelNumber', f.number ?? ''],
    ...(f.cpar ? [['cparEnabled', 'on'] as [string, string]] : []),
    ['failureRecipientId', f.recipient == null ? '' : String(f.recipient)],
  ];
}

async function practitioner(name: string, practitionerId: string | null = '123456') {
  const r = await db.execute({ sql: 'INSERT INTO practitioners (name, practitioner_id) VALUES (?, ?) RETURNING id', args: [name, practitionerId] });
  return Number(r.rows[0].id);
}

async function panelRow(id: number) {
  const r = await db.execute({ sql: 'SELECT name, panel_number, cpar_enabled, active, failure_recipient_id FROM panels WHERE id = ?', args: [id] });
  return r.rows[0] ? { ...r.rows[0] } : null;
}

async function linkedPractitioners(panelId: number) {
  const r = await db.execute({ sql: 'SELECT practitioner_id FROM panel_practitioners WHERE panel_id = ? ORDER BY practitioner_id', args: [panelId] });
  return r.rows.map((row) => Number(row.practitioner_id));
}

async function snapshot() {
  const r = await db.execute(`SELECT (SELECT json_group_array(json_array(id, name, panel_number, cpar_enabled, active, failure_recipient_id)) FROM panels) AS p,
    (SELECT json_group_array(json_array(panel_id, practitioner_id)) FROM panel_practitioners) AS pp,
    (SELECT count(*) FROM panel_members) AS m`);
  return JSON.stringify(r.rows[0]);
}

async function listDoc() {
  const res = await request(app, 'GET', '/settings/cii-cpar/panels', { cookie });
  assert.is(res.status, 200);
  return dom(res);
}

panels.before(async () => {
  db = await freshDb();
  users.clerk = await addUser(db, 'clerk', ['cii_cpar_settings']);
  users.physician = await addUser(db, 'physician');
  users.admin = await addUser(db, 'admin', ['manage_users']);
  users.gone = await addUser(db, 'gone');
  await db.execute({ sql: 'UPDATE users SET disabled_at = 1 WHERE id = ?', args: [users.gone] });
  ids.delta = await addPanel(db, 'Delta clinic', { number: 'PNL-4' });
  ids.alpha = await addPanel(db, 'alpha clinic', { number: 'PNL-1' });
  ids.regular = await addPanel(db, 'Charlie regular', { cpar: false });
  ids.inactive = await addPanel(db, 'Inactive CPAR', { active: false, number: 'PNL-9' });
  ({ panelId: ids.bravo } = await addClinicPanel(db, { name: 'Bravo clinic', number: 'PNL-2', patients: 3, withoutConfirmation: 1 }));
  await db.execute("UPDATE patients SET status = 'deceased' WHERE first_name = 'Pat0'");
  await addSubmission(db, ids.delta, { status: 'Submitted', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 10 });
  ids.lee = await practitioner('Dr. Ada Lee');
  ids.okoye = await practitioner('Dr. Chidi Okoye');
  ids.noId = await practitioner('Dr. Felix Brandt', null);
  ({ app } = testApp(db));
  cookie = await signIn(app, 'clerk');
});

panels('lists active panels alphabetically, ignoring case; inactive ones apart', async () => {
  const doc = await listDoc();
  const rows = [...doc.querySelectorAll('#panels tbody tr')].map((tr) => tr.id);
  assert.equal(rows, ['alpha', 'bravo', 'regular', 'delta'].map((k) => `panel-${ids[k]}`));
  assert.ok(doc.querySelector(`#inactive-panels #inactive-panel-${ids.inactive}`));
  assert.ok(doc.querySelector('a#add-panel[href="/settings/cii-cpar/panels/new"]'));
});

panels('CPAR panels carry a CPAR label and their number; regular panels neither', async () => {
  const doc = await listDoc();
  const alpha = doc.querySelector(`#panel-${ids.alpha} th`)!;
  assert.is(alpha.querySelector('.badge-cpar')?.textContent, 'CPAR');
  assert.is(alpha.querySelector('.panel-number')?.textContent, 'PNL-1');
  const regular = doc.querySelector(`#panel-${ids.regular} th`)!;
  assert.not.ok(regular.querySelector('.badge-cpar'));
  assert.not.ok(regular.querySelector('.panel-number'));
  assert.is(alpha.querySelector('a.panel-name')?.getAttribute('href'), `/settings/cii-cpar/panels/${ids.alpha}`);
});

panels('the patient count is the active members only', async () => {
  const doc = await listDoc();
  assert.is(doc.querySelector(`#panel-${ids.bravo} .patients`)?.textContent, '3'); // 4 members, one deceased
  assert.is(doc.querySelector(`#panel-${ids.alpha} .patients`)?.textContent, '0');
});

panels('CPAR panels show whether they would pass now; regular panels show nothing', async () => {
  const doc = await listDoc();
  assert.ok(doc.querySelector(`#panel-${ids.bravo} #readiness-${ids.bravo} [data-reason=no_confirmation_date]`));
  assert.ok(doc.querySelector(`#panel-${ids.alpha} #readiness-${ids.alpha} [data-reason=no_patients]`));
  assert.is(doc.querySelector(`#panel-${ids.regular} .readiness-cell`)?.textContent, '');
});

panels('Edit on every row; Delete only for a panel never submitted; Deactivate everywhere', async () => {
  const doc = await listDoc();
  assert.is(doc.querySelector(`#panel-${ids.alpha} a[href="/settings/cii-cpar/panels/${ids.alpha}/edit"]`)?.textContent, 'Edit alpha clinic');
  const deletion = doc.querySelector(`#panel-${ids.alpha} form[action="/settings/cii-cpar/panels/${ids.alpha}/deletion"]`);
  assert.is(deletion?.getAttribute('method'), 'post');
  assert.is(deletion?.getAttribute('hx-target'), '#panel-list');
  assert.not.ok(doc.querySelector(`#panel-${ids.delta} form[action$="/deletion"]`));
  assert.ok(doc.querySelector(`#panel-${ids.delta} form[action="/settings/cii-cpar/panels/${ids.delta}/deactivation"]`));
});

panels('the new-panel form has every field, and the name asks for the live length check', async () => {
  const res = await request(app, 'GET', '/settings/cii-cpar/panels/new', { cookie });
  assert.is(res.status, 200);
  const form = (await dom(res)).querySelector('form#panel-form')!;
  assert.is(form.getAttribute('action'), '/settings/cii-cpar/panels');
  assert.is(form.getAttribute('hx-post'), '/settings/cii-cpar/panels');
  assert.is(form.getAttribute('hx-target'), '#panel-form');
  const name = form.querySelector('input[name=name]')!;
  assert.is(name.getAttribute('hx-get'), '/settings/cii-cpar/panels/name-length');
  assert.is(name.getAttribute('hx-trigger'), 'input changed delay:300ms');
  assert.is(name.getAttribute('hx-target'), '#name-length-warning');
  assert.ok(form.querySelector('#name-length-warning'));
  assert.ok(form.querySelector(`input[type=checkbox][name=practitionerIds][value="${ids.lee}"]`));
  assert.match(form.querySelector(`input[value="${ids.noId}"]`)!.parentElement!.textContent ?? '', 'No Practitioner ID');
  assert.ok(form.querySelector('input[name=panelNumber]'));
  assert.ok(form.querySelector('input[type=checkbox][name=cparEnabled]'));
  const recipients = [...form.querySelectorAll('select[name=failureRecipientId] option')].map((o) => o.getAttribute('value'));
  assert.ok(recipients.includes(''));
  assert.ok(recipients.includes(String(users.physician)));
  assert.not.ok(recipients.includes(String(users.gone)), 'a disabled user is not offered');
});

panels('choosing a recipient without CII/CPAR settings warns (allowed: physicians are typical recipients)', async () => {
  const note = async (id: number | string) => (await dom(await request(app, 'GET', `/settings/cii-cpar/panels/recipient-note?failureRecipientId=${id}`, { cookie })))
    .querySelector('#recipient-note')!;
  const physician = await note(users.physician);
  assert.is(physician.getAttribute('class'), 'warning');
  assert.match(physician.textContent ?? '', 'Test physician does not have the CII/CPAR settings permission');
  assert.ok((await note(users.clerk)).hasAttribute('hidden'), 'a recipient who can fix the panel needs no warning');
  for (const odd of ['', 'abc', '99999', '1e308']) assert.ok((await note(odd)).hasAttribute('hidden'), `no warning for ${odd}`);

  const form = (await dom(await request(app, 'GET', '/settings/cii-cpar/panels/new', { cookie }))).querySelector('#panel-form')!;
  const select = form.querySelector('select[name=failureRecipientId]')!;
  assert.is(select.getAttribute('hx-get'), '/settings/cii-cpar/panels/recipient-note');
  assert.is(select.getAttribute('hx-trigger'), 'change');
  assert.is(select.getAttribute('hx-target'), '#recipient-note');

  // Saved with such a recipient, the panel keeps it, and its form says so without JavaScript.
  const res = await post('/settings/cii-cpar/panels', fields({ name: 'Physician recipient', practitioners: [ids.lee], recipient: users.physician }));
  assert.is(res.status, 303);
  const id = Number(/panel-(\d+)$/.exec(res.headers.get('Location') ?? '')![1]);
  assert.is((await panelRow(id))?.failure_recipient_id, users.physician);
  const edit = await dom(await request(app, 'GET', `/settings/cii-cpar/panels/${id}/edit`, { cookie }));
  assert.is(edit.querySelector('#recipient-note')?.getAttribute('class'), 'warning');
});

panels('the live warning counts characters, not bytes: 255 is fine, 256 warns', async () => {
  const check = async (name: string) => {
    const res = await request(app, 'GET', `/settings/cii-cpar/panels/name-length?name=${encodeURIComponent(name)}`, { cookie, htmx: true });
    assert.is(res.status, 200);
    return (await dom(res)).querySelector('#name-length-warning')!;
  };
  const at255 = await check('🩺'.repeat(100) + 'é'.repeat(155));
  assert.is(at255.className, 'hint');
  assert.is(at255.textContent, '255 of 255 characters');
  const at256 = await check('🩺'.repeat(100) + 'é'.repeat(156));
  assert.is(at256.className, 'warning');
  assert.match(at256.textContent ?? '', 'The name is 256 characters long');
  assert.match(at256.textContent ?? '', 'you can save it');
  assert.is((await check('  padded  ')).textContent, '6 of 255 characters');
});

panels('adding a panel saves it with its practitioners, audits it and goes back to the list', async () => {
  const res = await post('/settings/cii-cpar/panels', fields({
    name: '  Dr. Lee — Main St  ', practitioners: [ids.lee, ids.okoye], number: ' PNL-7 ', cpar: true, recipient: users.physician,
  }));
  assert.is(res.status, 303);
  const id = Number(/panel-(\d+)$/.exec(res.headers.get('Location') ?? '')![1]);
  assert.is(res.headers.get('Location'), `/settings/cii-cpar/panels#panel-${id}`);
  ids.lee7 = id;
  assert.equal(await panelRow(id), { name: 'Dr. Lee — Main St', panel_number: 'PNL-7', cpar_enabled: 1, active: 1, failure_recipient_id: users.physician });
  assert.equal(await linkedPractitioners(id), [ids.lee, ids.okoye]);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'create' AND object_type = 'panel' AND object_id = ? AND user_id = ?", [String(id), users.clerk]), 1);
  const doc = await listDoc();
  assert.match(doc.querySelector(`#panel-${id} th`)?.textContent ?? '', 'PNL-7');
});

panels('over htmx, a saved panel answers 204 with HX-Redirect to the list', async () => {
  const res = await post('/settings/cii-cpar/panels', fields({ name: 'Htmx regular', practitioners: [ids.okoye] }), { htmx: true });
  assert.is(res.status, 204);
  assert.match(res.headers.get('HX-Redirect') ?? '', /^\/settings\/cii-cpar\/panels#panel-\d+$/);
  assert.is(await count(db, "SELECT count(*) FROM panels WHERE name = 'Htmx regular' AND cpar_enabled = 0 AND panel_number IS NULL"), 1);
});

panels('a 300-character name still saves, and its form then shows the warning', async () => {
  const name = 'N'.repeat(300);
  const res = await post('/settings/cii-cpar/panels', fields({ name, practitioners: [ids.lee], number: 'PNL-LONG', cpar: true }));
  assert.is(res.status, 303);
  const id = Number(/panel-(\d+)$/.exec(res.headers.get('Location') ?? '')![1]);
  assert.is((await panelRow(id))?.name, name);
  const edit = await dom(await request(app, 'GET', `/settings/cii-cpar/panels/${id}/edit`, { cookie }));
  assert.is(edit.querySelector('#name-length-warning')?.className, 'warning');
  const box = edit.querySelector('textarea#panel-name')!;
  assert.ok(box, 'a long name is edited in a box that shows all of it');
  assert.is(box.textContent, name);
  assert.is(box.getAttribute('rows'), '5');
  assert.is(box.getAttribute('hx-get'), '/settings/cii-cpar/panels/name-length');
  assert.not.ok(edit.querySelector('input[name=name]'));
  const list = await listDoc();
  assert.ok(list.querySelector(`#readiness-${id} [data-reason=name_too_long] a[href="/settings/cii-cpar/panels/${id}/edit"]`));
});

const kept = { name: '   ', practitioners: [0, 0], number: 'PNL-KEEP', cpar: true, recipient: 0 };

async function assertKept(form: Element) {
  assert.is(form.querySelector('input[name=name]')?.getAttribute('value'), '   ');
  const checked = [...form.querySelectorAll('input[name=practitionerIds]')].filter((i) => i.hasAttribute('checked')).map((i) => Number(i.getAttribute('value')));
  assert.equal(checked.sort((a, b) => a - b), [ids.lee, ids.noId].sort((a, b) => a - b));
  assert.is(form.querySelector('input[name=panelNumber]')?.getAttribute('value'), 'PNL-KEEP');
  assert.ok(form.querySelector('input[name=cparEnabled]')?.hasAttribute('checked'));
  assert.is(form.querySelector('select[name=failureRecipientId] option[selected]')?.getAttribute('value'), String(users.physician));
  assert.is(form.querySelector('#name-error')?.textContent, 'Enter the panel’s name.');
  assert.is(form.querySelector('input[name=name]')?.getAttribute('aria-invalid'), 'true');
}

panels('a bad form comes back at 422 in place (htmx) with every value kept, and saves nothing', async () => {
  const before = await snapshot();
  const values = { ...kept, practitioners: [ids.lee, ids.noId], recipient: users.physician };
  const res = await post('/settings/cii-cpar/panels', fields(values), { htmx: true });
  assert.is(res.status, 422);
  const doc = await dom(res);
  assert.not.ok(doc.querySelector('header'), 'a fragment, not a page');
  await assertKept(doc.querySelector('form#panel-form')!);
  assert.is(await snapshot(), before);
});

panels('without JavaScript a bad form re-renders the whole page at 422 with every value kept', async () => {
  const before = await snapshot();
  const res = await post('/settings/cii-cpar/panels', fields({ ...kept, practitioners: [ids.lee, ids.noId], recipient: users.physician }));
  assert.is(res.status, 422);
  const doc = await dom(res);
  assert.ok(doc.querySelector('header nav'));
  await assertKept(doc.querySelector('main form#panel-form')!);
  assert.is(await snapshot(), before);
});

panels('CPAR without a panel number is refused', async () => {
  const before = await snapshot();
  const res = await post('/settings/cii-cpar/panels', fields({ name: 'No number', practitioners: [ids.lee], cpar: true }), { htmx: true });
  assert.is(res.status, 422);
  assert.match((await dom(res)).querySelector('#cparEnabled-error')?.textContent ?? '', 'needs its CPAR panel number');
  assert.is(await snapshot(), before);
});

panels('a panel number already used by another panel is refused, naming that panel', async () => {
  const before = await snapshot();
  const res = await post('/settings/cii-cpar/panels', fields({ name: 'Copycat', practitioners: [ids.lee], number: 'PNL-9' }), { htmx: true });
  assert.is(res.status, 422);
  assert.is((await dom(res)).querySelector('#panelNumber-error')?.textContent,
    'Panel number PNL-9 is already used by the panel “Inactive CPAR” (inactive). Each panel number belongs to one panel.');
  assert.is(await snapshot(), before);
});

panels('no practitioner, an unknown practitioner or a disabled recipient is refused', async () => {
  const before = await snapshot();
  const none = await post('/settings/cii-cpar/panels', fields({ name: 'Nobody' }), { htmx: true });
  assert.is((await dom(none)).querySelector('#practitionerIds-error')?.textContent, 'Choose at least one practitioner.');
  const unknown = await post('/settings/cii-cpar/panels', fields({ name: 'Ghost', practitioners: [ids.lee, 99999] }), { htmx: true });
  assert.is(unknown.status, 422);
  assert.match((await dom(unknown)).querySelector('#practitionerIds-error')?.textContent ?? '', 'no longer exists');
  const junk = await post('/settings/cii-cpar/panels', [['name', 'Junk'], ['practitionerIds', 'abc'], ['failureRecipientId', 'x']], { htmx: true });
  const junkDoc = await dom(junk);
  assert.is(junkDoc.querySelector('#practitionerIds-error')?.textContent, 'Choose practitioners from the list.');
  assert.is(junkDoc.querySelector('#failureRecipientId-error')?.textContent, 'Choose a recipient from the list.');
  const disabled = await post('/settings/cii-cpar/panels', fields({ name: 'Gone', practitioners: [ids.lee], recipient: users.gone }), { htmx: true });
  assert.match((await dom(disabled)).querySelector('#failureRecipientId-error')?.textContent ?? '', 'cannot receive failure messages');
  assert.is(await snapshot(), before);
});

panels('editing replaces every field and the whole set of practitioners, and is audited', async () => {
  const form = await dom(await request(app, 'GET', `/settings/cii-cpar/panels/${ids.lee7}/edit`, { cookie }));
  const edit = form.querySelector('form#panel-form')!;
  assert.is(edit.getAttribute('action'), `/settings/cii-cpar/panels/${ids.lee7}`);
  assert.is(edit.querySelector('input[name=name]')?.getAttribute('value'), 'Dr. Lee — Main St');
  assert.ok(edit.querySelector(`input[value="${ids.okoye}"]`)?.hasAttribute('checked'));
  const res = await post(`/settings/cii-cpar/panels/${ids.lee7}`, fields({ name: 'Dr. Brandt', practitioners: [ids.noId], number: 'PNL-8', cpar: true }));
  assert.is(res.status, 303);
  assert.equal(await panelRow(ids.lee7), { name: 'Dr. Brandt', panel_number: 'PNL-8', cpar_enabled: 1, active: 1, failure_recipient_id: null });
  assert.equal(await linkedPractitioners(ids.lee7), [ids.noId]);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'edit' AND object_type = 'panel' AND object_id = ?", [String(ids.lee7)]), 1);
});

panels('a panel keeps its own number when edited, and a bad edit changes nothing', async () => {
  const ok = await post(`/settings/cii-cpar/panels/${ids.lee7}`, fields({ name: 'Dr. Brandt', practitioners: [ids.noId, ids.lee], number: 'PNL-8', cpar: true }));
  assert.is(ok.status, 303);
  const before = await snapshot();
  const bad = await post(`/settings/cii-cpar/panels/${ids.lee7}`, fields({ name: 'Dr. Brandt', practitioners: [ids.okoye], number: 'PNL-1', cpar: true }), { htmx: true });
  assert.is(bad.status, 422);
  const form = (await dom(bad)).querySelector('form#panel-form')!;
  assert.is(form.getAttribute('action'), `/settings/cii-cpar/panels/${ids.lee7}`);
  assert.ok(form.querySelector(`input[value="${ids.okoye}"]`)?.hasAttribute('checked'));
  assert.not.ok(form.querySelector(`input[value="${ids.lee}"]`)?.hasAttribute('checked'));
  assert.is(await snapshot(), before);
});

panels('turning CPAR off keeps the panel active but takes it off the Submissions page', async () => {
  const res = await post(`/settings/cii-cpar/panels/${ids.alpha}`, fields({ name: 'alpha clinic', practitioners: await linkedPractitioners(ids.alpha), number: 'PNL-1' }));
  assert.is(res.status, 303);
  const list = await listDoc();
  assert.ok(list.querySelector(`#panel-${ids.alpha}`));
  assert.not.ok(list.querySelector(`#panel-${ids.alpha} .badge-cpar`));
  const submissions = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie }));
  assert.not.ok(submissions.querySelector(`#panel-${ids.alpha}`));
});

panels('editing a missing or inactive panel answers 404 and changes nothing', async () => {
  const before = await snapshot();
  for (const id of [ids.inactive, 987654]) {
    assert.is((await request(app, 'GET', `/settings/cii-cpar/panels/${id}/edit`, { cookie })).status, 404);
    assert.is((await post(`/settings/cii-cpar/panels/${id}`, fields({ name: 'X', practitioners: [ids.lee] }))).status, 404);
  }
  assert.is((await request(app, 'GET', '/settings/cii-cpar/panels/abc/edit', { cookie })).status, 404);
  assert.is(await snapshot(), before);
});

panels('a panel with submissions cannot be deleted: 409, deactivate instead, nothing changes', async () => {
  const before = await snapshot();
  const res = await post(`/settings/cii-cpar/panels/${ids.delta}/deletion`, []);
  assert.is(res.status, 409);
  assert.match((await dom(res)).querySelector('#panel-list [role=alert]')?.textContent ?? '', 'has submissions, so it cannot be deleted: deactivate it instead');
  const htmx = await post(`/settings/cii-cpar/panels/${ids.delta}/deletion`, [], { htmx: true });
  assert.is(htmx.status, 409);
  const fragment = await dom(htmx);
  assert.ok(fragment.querySelector('#panel-list'));
  assert.not.ok(fragment.querySelector('header'));
  assert.is(await snapshot(), before);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'delete'"), 0);
});

panels('a panel never submitted is deleted with its links and memberships, and audited', async () => {
  const res = await post(`/settings/cii-cpar/panels/${ids.bravo}/deletion`, []);
  assert.is(res.status, 303);
  assert.is(res.headers.get('Location'), '/settings/cii-cpar/panels');
  assert.is(await panelRow(ids.bravo), null);
  assert.is(await count(db, 'SELECT count(*) FROM panel_members WHERE panel_id = ?', [ids.bravo]), 0);
  assert.is(await count(db, 'SELECT count(*) FROM panel_practitioners WHERE panel_id = ?', [ids.bravo]), 0);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'delete' AND object_type = 'panel' AND object_id = ?", [String(ids.bravo)]), 1);
  assert.is((await post(`/settings/cii-cpar/panels/${ids.bravo}/deletion`, [])).status, 404);
});

panels('deactivating hides the panel from the list and the Submissions page, and is audited', async () => {
  const res = await post(`/settings/cii-cpar/panels/${ids.delta}/deactivation`, [], { htmx: true });
  assert.is(res.status, 200);
  const fragment = await dom(res);
  assert.match(fragment.querySelector('#panel-list [role=status]')?.textContent ?? '', '“Delta clinic” was deactivated');
  assert.not.ok(fragment.querySelector(`#panels #panel-${ids.delta}`));
  assert.ok(fragment.querySelector(`#inactive-panel-${ids.delta}`));
  assert.is((await panelRow(ids.delta))?.active, 0);
  const submissions = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie }));
  assert.not.ok(submissions.querySelector(`#panel-${ids.delta}`));
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action = 'edit' AND object_id = ? AND route LIKE '%/deactivation'", [String(ids.delta)]), 1);
  assert.is((await post(`/settings/cii-cpar/panels/${ids.delta}/deactivation`, [])).status, 404);
});

panels('a deactivated panel can be reactivated and is listed again', async () => {
  const res = await post(`/settings/cii-cpar/panels/${ids.delta}/activation`, []);
  assert.is(res.status, 303);
  assert.is((await panelRow(ids.delta))?.active, 1);
  assert.ok((await listDoc()).querySelector(`#panels #panel-${ids.delta}`));
  const submissions = await dom(await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie }));
  assert.ok(submissions.querySelector(`#panel-${ids.delta}`));
});

panels('a user without CII/CPAR settings gets 403 on every panels route and changes nothing', async () => {
  const physician = await signIn(app, 'physician');
  const admin = await signIn(app, 'admin');
  const before = await snapshot();
  const gets = ['/settings/cii-cpar/panels', '/settings/cii-cpar/panels/new', '/settings/cii-cpar/panels/name-length?name=x',
    `/settings/cii-cpar/panels/${ids.alpha}/edit`];
  const posts: [string, [string, string][]][] = [
    ['/settings/cii-cpar/panels', fields({ name: 'Intruder', practitioners: [ids.lee] })],
    [`/settings/cii-cpar/panels/${ids.alpha}`, fields({ name: 'Renamed', practitioners: [ids.lee] })],
    [`/settings/cii-cpar/panels/${ids.alpha}/deactivation`, []],
    [`/settings/cii-cpar/panels/${ids.inactive}/activation`, []],
    [`/settings/cii-cpar/panels/${ids.alpha}/deletion`, []],
  ];
  for (const as of [physician, admin]) {
    for (const htmx of [false, true]) {
      for (const path of gets) assert.is((await request(app, 'GET', path, { cookie: as, htmx })).status, 403, `GET ${path}`);
      for (const [path, body] of posts) assert.is((await post(path, body, { as, htmx })).status, 403, `POST ${path}`);
    }
  }
  assert.is(await snapshot(), before);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE action IN ('create', 'edit', 'delete') AND user_id <> ?", [users.clerk]), 0);
});

panels.run();
