import { suite } from 'uvu';
import { parseHTML } from 'linkedom';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { PERMISSIONS } from '../../src/domain/people/permissions.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count, PASSWORD } from '../support/app.ts';

type App = ReturnType<typeof testApp>['app'];
const NEW_PASSWORD = 'a quiet lake at dawn';

/** A fresh clinic per suite: boss (the only administrator), clerk (CII/CPAR), physician (none). */
async function clinic() {
  const db = await freshDb();
  const ids = {
    boss: await addUser(db, 'boss', ['manage_users', 'cii_cpar_settings']),
    clerk: await addUser(db, 'clerk', ['cii_cpar_settings']),
    physician: await addUser(db, 'physician'),
  };
  const { app } = testApp(db);
  return { db, ids, app, boss: await signIn(app, 'boss') };
}

async function permissionsOf(db: Db, id: number) {
  const result = await db.execute({ sql: 'SELECT permission FROM user_permissions WHERE user_id = ? ORDER BY permission', args: [id] });
  return result.rows.map((r) => String(r.permission));
}

const post = (app: App, path: string, cookie: string, form: Record<string, string> | URLSearchParams = {}, htmx = false) =>
  request(app, 'POST', path, { cookie, htmx, form: Object.fromEntries(new URLSearchParams(form)) });

/** POST with a repeated `permission` field, as the row's checkbox form sends it. */
function postPermissions(app: App, id: number, cookie: string, permissions: string[], htmx = false) {
  const body = new URLSearchParams(permissions.map((p) => ['permission', p]));
  return app.request(`http://localhost/settings/users/${id}/permissions`, {
    method: 'POST', redirect: 'manual', body: body.toString(),
    headers: { Cookie: cookie, Origin: 'http://localhost', 'Content-Type': 'application/x-www-form-urlencoded',
      ...(htmx ? { 'HX-Request': 'true', 'HX-Request-Type': 'partial' } : {}) },
  });
}

// ─── the list ────────────────────────────────────────────────────────────────
const list = suite('Users page');
let c: Awaited<ReturnType<typeof clinic>>;
list.before(async () => { c = await clinic(); });

list('lists every user with username, full name, permission checkboxes, status and actions', async () => {
  const res = await request(c.app, 'GET', '/settings/users', { cookie: c.boss });
  assert.is(res.status, 200);
  const doc = await dom(res);
  const rows = [...doc.querySelectorAll('#users tbody tr')].map((tr) => tr.id);
  assert.equal(rows, [`user-${c.ids.boss}`, `user-${c.ids.clerk}`, `user-${c.ids.physician}`]);
  const clerk = doc.querySelector(`#user-${c.ids.clerk}`)!;
  assert.is(clerk.querySelector('.username')?.textContent, 'clerk');
  assert.is(clerk.querySelector('.full-name')?.textContent, 'Test clerk');
  const boxes = [...clerk.querySelectorAll('input[name="permission"]')].map((i) => [i.getAttribute('value'), i.hasAttribute('checked')]);
  assert.equal(boxes, PERMISSIONS.map((p) => [p, p === 'cii_cpar_settings']));
  assert.is(clerk.querySelector('.status')?.textContent?.trim(), 'Active');
  const form = clerk.querySelector('form.permissions-form')!;
  assert.is(form.getAttribute('method'), 'post');
  assert.is(form.getAttribute('action'), `/settings/users/${c.ids.clerk}/permissions`);
  assert.is(form.getAttribute('hx-post'), form.getAttribute('action'));
  assert.is(form.getAttribute('hx-target'), `#user-${c.ids.clerk}`);
  assert.ok(clerk.querySelector(`form[action="/settings/users/${c.ids.clerk}/disable"] button`));
  assert.ok(clerk.querySelector(`form[action="/settings/users/${c.ids.clerk}/password"] input[type="password"]`));
});

list('disabling asks first and does not look like the primary action', async () => {
  const doc = await dom(await request(c.app, 'GET', '/settings/users', { cookie: c.boss }));
  const button = doc.querySelector(`#user-${c.ids.clerk} form[action$="/disable"] button`)!;
  const disclosure = button.closest('details.confirm');
  assert.ok(disclosure, 'behind a disclosure: two deliberate clicks');
  assert.not.ok(disclosure!.hasAttribute('open'));
  assert.match(disclosure!.querySelector('summary')?.textContent ?? '', 'Disable');
  assert.match(disclosure!.querySelector('p')?.textContent ?? '', 'signed out at once');
  assert.is(button.getAttribute('class'), 'danger');
  assert.is(button.textContent, 'Disable clerk');
});

list('an administrator is offered no button to disable themselves', async () => {
  const doc = await dom(await request(c.app, 'GET', '/settings/users', { cookie: c.boss }));
  assert.not.ok(doc.querySelector(`#user-${c.ids.boss} form[action$="/disable"]`));
  assert.match(doc.querySelector(`#user-${c.ids.boss} .actions`)?.textContent ?? '', 'This is you');
});

list('the add form has every field, an empty password and all permissions unchecked', async () => {
  const res = await request(c.app, 'GET', '/settings/users/new', { cookie: c.boss });
  assert.is(res.status, 200);
  const form = (await dom(res)).querySelector('form#new-user')!;
  assert.is(form.getAttribute('action'), '/settings/users');
  assert.is(form.getAttribute('hx-post'), '/settings/users');
  for (const name of ['username', 'fullName', 'password']) assert.ok(form.querySelector(`input[name="${name}"]`), name);
  assert.is(form.querySelector('input[name="password"]')!.getAttribute('type'), 'password');
  assert.is(form.querySelectorAll('input[name="permission"][checked]').length, 0);
});

list('an unknown user number answers 404', async () => {
  const res = await post(c.app, '/settings/users/9999/disable', c.boss);
  assert.is(res.status, 404);
  assert.match(await res.text(), 'There is no user with that number.');
  assert.is((await post(c.app, '/settings/users/abc/disable', c.boss)).status, 404);
});

list.run();

// ─── adding a user ───────────────────────────────────────────────────────────
const add = suite('adding a user');
add.before(async () => { c = await clinic(); });

add('a new user is added, the list confirms it, and they can sign in with the password set', async () => {
  const res = await post(c.app, '/settings/users', c.boss,
    new URLSearchParams([['username', 'newnurse'], ['fullName', 'Nora Nurse'], ['password', NEW_PASSWORD], ['permission', 'cii_cpar_settings']]));
  assert.is(res.status, 303);
  const id = await count(c.db, "SELECT id FROM users WHERE username = 'newnurse'");
  assert.is(res.headers.get('Location'), `/settings/users?user=${id}&done=added#user-${id}`);
  assert.equal(await permissionsOf(c.db, id), ['cii_cpar_settings']);
  const listed = await dom(await request(c.app, 'GET', res.headers.get('Location')!.split('#')[0], { cookie: c.boss }));
  assert.match(listed.querySelector(`#user-${id} [role="status"]`)?.textContent ?? '', 'Added');
  const cookie = await signIn(c.app, 'newnurse', NEW_PASSWORD);
  assert.is((await request(c.app, 'GET', '/settings/cii-cpar/submissions', { cookie })).status, 200);
});

add('over htmx, success is a full navigation to the list (HX-Redirect), not a swap', async () => {
  const res = await post(c.app, '/settings/users', c.boss, { username: 'htmxuser', fullName: 'H. Tmx', password: NEW_PASSWORD }, true);
  assert.is(res.status, 204);
  const id = await count(c.db, "SELECT id FROM users WHERE username = 'htmxuser'");
  assert.is(res.headers.get('HX-Redirect'), `/settings/users?user=${id}&done=added#user-${id}`);
});

add('the password policy: 11 characters, a common password (any case) and the username are refused', async () => {
  const cases: [string, string, string][] = [
    ['short', 'elevenchars', 'at least 12 characters long; this one has 11'],
    ['short2', '🔒'.repeat(11), 'this one has 11'],
    ['common', 'PassWord1234', 'most common passwords'],
    ['samename.user', 'SameName.User', 'cannot contain the username'],
    ['spaces.user', ' '.repeat(12), 'cannot be only spaces'],
    ['repeat.user', 'xyxyxyxyxyxyxy', 'at least 5 different characters'],
  ];
  for (const [username, password, message] of cases) {
    const res = await post(c.app, '/settings/users', c.boss, { username, fullName: 'Some One', password });
    assert.is(res.status, 422, username);
    assert.match((await dom(res)).querySelector('#password-error')?.textContent ?? '', message);
    assert.is(await count(c.db, 'SELECT count(*) FROM users WHERE username = ?', [username]), 0);
  }
});

add('12 multi-byte characters are accepted and work for sign-in', async () => {
  const password = 'ĉŝĝĥĵŭĉŝĝĥĵŭ';
  const res = await post(c.app, '/settings/users', c.boss, { username: 'esperanto', fullName: 'E. Speranto', password });
  assert.is(res.status, 303);
  assert.ok(await signIn(c.app, 'esperanto', password));
});

add('a 422 keeps every value entered except the password, and says why', async () => {
  const secret = 'qwerty123456';
  const form = new URLSearchParams([['username', 'keepme'], ['fullName', 'Kept Values'], ['password', secret], ['permission', 'manage_users']]);
  for (const htmx of [false, true]) {
    const res = await post(c.app, '/settings/users', c.boss, form, htmx);
    assert.is(res.status, 422);
    const html = await res.text();
    assert.not.match(html, secret);
    const doc = parseHTML(html).document;
    assert.is(doc.querySelector('html') !== null && doc.querySelector('h1') !== null, !htmx, 'page without htmx, form alone with');
    const f = doc.querySelector('form#new-user')!;
    assert.is(f.querySelector('#username')?.getAttribute('value'), 'keepme');
    assert.is(f.querySelector('#fullName')?.getAttribute('value'), 'Kept Values');
    assert.ok(f.querySelector('input[value="manage_users"]')?.hasAttribute('checked'));
    assert.not.ok(f.querySelector('input[value="cii_cpar_settings"]')?.hasAttribute('checked'));
    assert.is(f.querySelector('#password')?.getAttribute('value'), null);
    assert.is(f.querySelector('#password')?.getAttribute('aria-invalid'), 'true');
    assert.match(f.textContent ?? '', 'never sent back: type it again');
  }
  assert.is(await count(c.db, "SELECT count(*) FROM users WHERE username = 'keepme'"), 0);
});

add('a missing full name and a taken username (any case) are reported beside their fields', async () => {
  const blank = await dom(await post(c.app, '/settings/users', c.boss, { username: 'someone', fullName: ' ', password: NEW_PASSWORD }));
  assert.match(blank.querySelector('#fullName-error')?.textContent ?? '', 'Full name is required');
  const res = await post(c.app, '/settings/users', c.boss, { username: 'CLERK', fullName: 'Another Clerk', password: NEW_PASSWORD });
  assert.is(res.status, 422);
  assert.match((await dom(res)).querySelector('#username-error')?.textContent ?? '', 'is taken');
  assert.is(await count(c.db, "SELECT count(*) FROM users WHERE full_name IN (' ', 'Another Clerk')"), 0);
});

add.run();

// ─── permissions ─────────────────────────────────────────────────────────────
const grants = suite('granting and revoking permissions');
grants.before(async () => { c = await clinic(); });

grants('a revoke takes effect on the user’s next request, and a grant too (200 → 403 → 200)', async () => {
  const clerk = await signIn(c.app, 'clerk');
  const gated = () => request(c.app, 'GET', '/settings/cii-cpar/submissions', { cookie: clerk });
  assert.is((await gated()).status, 200);
  const res = await postPermissions(c.app, c.ids.clerk, c.boss, [], true);
  assert.is(res.status, 200);
  const row = (await dom(res)).querySelector('tr')!;
  assert.is(row.id, `user-${c.ids.clerk}`);
  assert.is(row.querySelectorAll('input[name="permission"][checked]').length, 0);
  assert.match(row.querySelector('.permissions [role="status"]')?.textContent ?? '', 'next request');
  assert.is((await gated()).status, 403);
  assert.is((await postPermissions(c.app, c.ids.clerk, c.boss, ['cii_cpar_settings'], true)).status, 200);
  assert.is((await gated()).status, 200);
});

grants('manage_users granted lets the user into this page at once; without JavaScript the answer is a 303', async () => {
  const physician = await signIn(c.app, 'physician');
  assert.is((await request(c.app, 'GET', '/settings/users', { cookie: physician })).status, 403);
  const res = await postPermissions(c.app, c.ids.physician, c.boss, ['manage_users']);
  assert.is(res.status, 303);
  assert.is(res.headers.get('Location'), `/settings/users?user=${c.ids.physician}&done=permissions#user-${c.ids.physician}`);
  assert.is((await request(c.app, 'GET', '/settings/users', { cookie: physician })).status, 200);
  assert.equal(await permissionsOf(c.db, c.ids.physician), ['manage_users']);
  await postPermissions(c.app, c.ids.physician, c.boss, []);
});

grants('an unknown permission is refused with 422 and nothing changes', async () => {
  const res = await postPermissions(c.app, c.ids.clerk, c.boss, ['cii_cpar_settings', 'superpowers'], true);
  assert.is(res.status, 422);
  assert.match((await dom(res)).querySelector(`#user-${c.ids.clerk} .error`)?.textContent ?? '', 'Unknown permission “superpowers”');
  assert.equal(await permissionsOf(c.db, c.ids.clerk), ['cii_cpar_settings']);
});

grants.run();

// ─── the last administrator ──────────────────────────────────────────────────
const last = suite('the last administrator');
last.before(async () => { c = await clinic(); });

last('cannot remove manage_users from themselves: 409, a clear message, nothing changed', async () => {
  for (const htmx of [true, false]) {
    const res = await postPermissions(c.app, c.ids.boss, c.boss, ['cii_cpar_settings'], htmx);
    assert.is(res.status, 409);
    const doc = await dom(res);
    assert.match(doc.querySelector(`#user-${c.ids.boss} .permissions .error`)?.textContent ?? '',
      'You are the last enabled user who can modify user permissions');
    // the row shows what is stored, not what was asked
    assert.ok(doc.querySelector(`#user-${c.ids.boss} input[value="manage_users"]`)?.hasAttribute('checked'));
  }
  assert.equal(await permissionsOf(c.db, c.ids.boss), ['cii_cpar_settings', 'manage_users']);
  assert.is((await request(c.app, 'GET', '/settings/users', { cookie: c.boss })).status, 200);
});

last('cannot disable themselves', async () => {
  const res = await post(c.app, `/settings/users/${c.ids.boss}/disable`, c.boss, {}, true);
  assert.is(res.status, 409);
  assert.match((await dom(res)).querySelector('.status .error')?.textContent ?? '', 'You cannot disable your own account');
  assert.is(await count(c.db, 'SELECT count(*) FROM users WHERE disabled_at IS NOT NULL'), 0);
});

last('can remove their own manage_users when another enabled administrator exists', async () => {
  await postPermissions(c.app, c.ids.clerk, c.boss, ['cii_cpar_settings', 'manage_users']);
  const res = await postPermissions(c.app, c.ids.boss, c.boss, ['cii_cpar_settings'], true);
  assert.is(res.status, 200);
  assert.equal(await permissionsOf(c.db, c.ids.boss), ['cii_cpar_settings']);
  assert.is((await request(c.app, 'GET', '/settings/users', { cookie: c.boss })).status, 403);
});

last('a disabled holder of manage_users does not count: the remaining one is the last', async () => {
  const clerk = await signIn(c.app, 'clerk');
  await postPermissions(c.app, c.ids.boss, clerk, ['cii_cpar_settings', 'manage_users']);
  assert.is((await post(c.app, `/settings/users/${c.ids.boss}/disable`, clerk)).status, 303);
  const res = await postPermissions(c.app, c.ids.clerk, clerk, []);
  assert.is(res.status, 409);
  assert.match(await res.text(), 'so you cannot remove it from yourself');
  assert.equal(await permissionsOf(c.db, c.ids.clerk), ['cii_cpar_settings', 'manage_users']);
});

last.run();

// ─── disabling, enabling, resetting a password ───────────────────────────────
const access = suite('disabling a user and resetting a password');
access.before(async () => { c = await clinic(); });

access('disabling ends the user’s sessions at once and blocks sign-in; enabling lets them sign in again', async () => {
  const clerk = await signIn(c.app, 'clerk');
  const res = await post(c.app, `/settings/users/${c.ids.clerk}/disable`, c.boss, {}, true);
  assert.is(res.status, 200);
  const row = (await dom(res)).querySelector(`#user-${c.ids.clerk}`)!;
  assert.is(row.querySelector('.badge')?.textContent, 'Disabled');
  assert.ok(row.querySelector(`form[action="/settings/users/${c.ids.clerk}/enable"]`));
  assert.match(row.querySelector('.status [role="status"]')?.textContent ?? '', 'signed out');
  assert.is(await count(c.db, 'SELECT count(*) FROM sessions WHERE user_id = ?', [c.ids.clerk]), 0);
  const after = await request(c.app, 'GET', '/settings/cii-cpar/submissions', { cookie: clerk });
  assert.is(after.status, 302);
  assert.match(after.headers.get('Location') ?? '', '/login');
  assert.is((await request(c.app, 'POST', '/login', { form: { username: 'clerk', password: PASSWORD } })).status, 401);
  assert.is((await post(c.app, `/settings/users/${c.ids.clerk}/enable`, c.boss)).status, 303);
  assert.ok(await signIn(c.app, 'clerk'));
});

access('a password reset under the policy is refused inline (422) and changes nothing', async () => {
  const clerk = await signIn(c.app, 'clerk');
  const res = await post(c.app, `/settings/users/${c.ids.clerk}/password`, c.boss, { password: 'Clerk' }, true);
  assert.is(res.status, 422);
  const html = await res.text();
  const row = parseHTML(html).document.querySelector(`#user-${c.ids.clerk}`)!;
  assert.ok(row.querySelector('details.reset-password')?.hasAttribute('open'));
  assert.match(row.querySelector('details .error')?.textContent ?? '', 'The password was not changed');
  assert.is(row.querySelector('input[name="password"]')?.getAttribute('value'), null);
  assert.is((await request(c.app, 'GET', '/settings/cii-cpar/submissions', { cookie: clerk })).status, 200);
  assert.ok(await signIn(c.app, 'clerk', PASSWORD));
});

access('a password reset ends the user’s sessions and the new password works, the old one not', async () => {
  const clerk = await signIn(c.app, 'clerk');
  const res = await post(c.app, `/settings/users/${c.ids.clerk}/password`, c.boss, { password: NEW_PASSWORD });
  assert.is(res.status, 303);
  assert.is((await request(c.app, 'GET', '/inbox', { cookie: clerk })).status, 302);
  assert.is((await request(c.app, 'POST', '/login', { form: { username: 'clerk', password: PASSWORD } })).status, 401);
  assert.ok(await signIn(c.app, 'clerk', NEW_PASSWORD));
});

access('an administrator resetting their own password stays signed in here, other sessions end', async () => {
  const elsewhere = await signIn(c.app, 'boss');
  const res = await post(c.app, `/settings/users/${c.ids.boss}/password`, c.boss, { password: 'my own new passphrase' }, true);
  assert.is(res.status, 200);
  assert.match(await res.text(), 'your other sessions were ended');
  assert.is((await request(c.app, 'GET', '/settings/users', { cookie: c.boss })).status, 200);
  assert.is((await request(c.app, 'GET', '/settings/users', { cookie: elsewhere })).status, 302);
});

access.run();

// ─── who may do this, and the trail ──────────────────────────────────────────
const gate = suite('permission and audit');
gate.before(async () => { c = await clinic(); });

async function snapshot(db: Db) {
  return [
    await count(db, 'SELECT count(*) FROM users'),
    await count(db, 'SELECT count(*) FROM user_permissions'),
    await count(db, 'SELECT count(*) FROM users WHERE disabled_at IS NOT NULL'),
    await count(db, 'SELECT count(*) FROM sessions'),
    await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'user'"),
    (await db.execute('SELECT group_concat(password_hash) AS h FROM users')).rows[0].h,
  ];
}

gate('a user without manage_users gets 403 on every users route, GET and POST, and nothing changes', async () => {
  const routes = c.app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/settings/users'))
    .map((r) => [r.method, r.path.replace(/:userId\{[^}]*\}/, String(c.ids.clerk))] as ['GET' | 'POST', string]);
  assert.ok(routes.length >= 7, `found ${routes.length} routes`);
  const clerk = await signIn(c.app, 'clerk');
  const before = await snapshot(c.db);
  const form = { username: 'intruder', fullName: 'In Truder', password: NEW_PASSWORD, permission: 'manage_users' };
  for (const [method, path] of routes) {
    for (const htmx of [false, true]) {
      const res = await request(c.app, method, path, { cookie: clerk, htmx, form });
      assert.is(res.status, 403, `${method} ${path} htmx=${htmx}`);
      assert.match(await res.text(), 'Modify user permissions');
    }
  }
  assert.equal(await snapshot(c.db), before);
});

gate('every change is audited as create or edit of the user, and no password reaches the trail', async () => {
  const added = await post(c.app, '/settings/users', c.boss, { username: 'audited', fullName: 'Aud Ited', password: NEW_PASSWORD });
  const id = Number(new URL(added.headers.get('Location')!, 'http://x').searchParams.get('user'));
  await postPermissions(c.app, id, c.boss, ['cii_cpar_settings']);
  await postPermissions(c.app, id, c.boss, ['cii_cpar_settings']); // no change: no entry
  await post(c.app, `/settings/users/${id}/disable`, c.boss);
  await post(c.app, `/settings/users/${id}/enable`, c.boss);
  await post(c.app, `/settings/users/${id}/password`, c.boss, { password: 'another good passphrase' });
  await post(c.app, `/settings/users/${id}/password`, c.boss, { password: 'qwerty123456' }); // refused: no entry
  const trail = await c.db.execute({ sql: "SELECT * FROM audit_log WHERE object_type = 'user' ORDER BY id", args: [] });
  assert.equal(trail.rows.map((r) => [r.action, r.object_id, r.username]),
    [['create', String(id), 'boss'], ...Array(4).fill(['edit', String(id), 'boss'])]);
  const routes = trail.rows.map((r) => String(r.route));
  ['', '/permissions', '/disable', '/enable', '/password'].forEach((end, i) => assert.match(routes[i], new RegExp(`^POST /settings/users.*${end}$`)));
  const everything = JSON.stringify((await c.db.execute('SELECT * FROM audit_log')).rows);
  for (const secret of [NEW_PASSWORD, 'another good passphrase', 'qwerty123456', PASSWORD]) assert.not.match(everything, secret);
});

gate.run();
