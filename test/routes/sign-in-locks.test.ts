import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDb, addUser, testApp, request, signIn, dom, count, PASSWORD } from '../support/app.ts';

type App = ReturnType<typeof testApp>['app'];
const HERE = '198.51.100.7';

const signInFrom = (app: App, username: string, password: string, address = HERE) =>
  app.request('http://localhost/login', {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
    body: new URLSearchParams({ username, password }).toString(),
  }, { incoming: { socket: { remoteAddress: address, remotePort: 5000, remoteFamily: 'IPv4' } } });

/** boss administers users, clerk does not; alice failed five times from her desk (12:00–12:04) and is locked out of it. */
async function clinic() {
  const db = await freshDb();
  const ids = {
    boss: await addUser(db, 'boss', ['manage_users']),
    clerk: await addUser(db, 'clerk', ['cii_cpar_settings', 'view_audit_log']),
    alice: await addUser(db, 'alice', ['cii_cpar_settings']),
  };
  const { app, clock } = testApp(db);
  const boss = await signIn(app, 'boss');
  const clerk = await signIn(app, 'clerk');
  for (let i = 0; i < 5; i++) {
    assert.is((await signInFrom(app, 'alice', `not it ${i}`)).status, 401);
    clock.advance(60_000);
  }
  assert.is((await signInFrom(app, 'alice', PASSWORD)).status, 429, 'locked out at 12:05');
  return { db, ids, app, clock, boss, clerk };
}

const locks = suite('sign-in locks on the Users page');

locks('the Users page shows who is locked out now and until when, with a Lift the lock button', async () => {
  const c = await clinic();
  const doc = await dom(await request(c.app, 'GET', '/settings/users', { cookie: c.boss }));
  assert.is(doc.querySelector('#locked-users li')?.textContent, 'alice until 12:15');
  assert.is(doc.querySelectorAll('#locked-users li').length, 1);
  const row = doc.querySelector(`#user-${c.ids.alice}`)!;
  assert.is(row.querySelector('.badge-locked')?.textContent, 'Locked until 12:15');
  assert.match(row.querySelector('.sign-in-lock')?.textContent ?? '', '5 failed sign-ins from 1 address');
  const form = row.querySelector('.sign-in-lock form')!;
  assert.is(form.getAttribute('method'), 'post');
  assert.is(form.getAttribute('action'), `/settings/users/${c.ids.alice}/unlock`);
  assert.is(form.querySelector('button')?.textContent, 'Lift the lock of alice');
  assert.is(doc.querySelector(`#user-${c.ids.clerk} .sign-in-lock`), null);
  // When the lock ends by itself, the page says nothing more.
  c.clock.advance(10 * 60_000);
  const later = await dom(await request(c.app, 'GET', '/settings/users', { cookie: c.boss }));
  assert.is(later.querySelector('#locked-users'), null);
  assert.is(later.querySelector('.sign-in-lock'), null);
});

locks('Lift the lock lets the user sign in at once, and the audit trail names who lifted whose lock', async () => {
  const c = await clinic();
  const res = await request(c.app, 'POST', `/settings/users/${c.ids.alice}/unlock`, { cookie: c.boss });
  assert.is(res.status, 303);
  assert.is(res.headers.get('Location'), `/settings/users?user=${c.ids.alice}&done=unlocked#user-${c.ids.alice}`);
  const page = await dom(await request(c.app, 'GET', res.headers.get('Location')!, { cookie: c.boss }));
  assert.is(page.querySelector(`#user-${c.ids.alice} .status .confirmation`)?.textContent, 'Lock lifted: alice can sign in now.');
  assert.is(page.querySelector('#locked-users'), null);
  const entry = (await c.db.execute("SELECT user_id, username, action, route, object_type, object_id FROM audit_log WHERE object_type = 'sign_in_lock'")).rows;
  assert.equal(entry.map((r) => ({ ...r })), [{ user_id: c.ids.boss, username: 'boss', action: 'delete',
    route: `POST /settings/users/${c.ids.alice}/unlock`, object_type: 'sign_in_lock', object_id: String(c.ids.alice) }]);
  assert.is((await signInFrom(c.app, 'alice', PASSWORD)).status, 303);
});

locks('with htmx the row comes back, without its lock', async () => {
  const c = await clinic();
  const res = await request(c.app, 'POST', `/settings/users/${c.ids.alice}/unlock`, { cookie: c.boss, htmx: true });
  assert.is(res.status, 200);
  const row = (await dom(res)).querySelector(`#user-${c.ids.alice}`)!;
  assert.is(row.querySelector('.sign-in-lock'), null);
  assert.is(row.querySelector('.confirmation')?.textContent, 'Lock lifted: alice can sign in now.');
});

locks('a user without manage_users gets 403 and the lock stays', async () => {
  const c = await clinic();
  const res = await request(c.app, 'POST', `/settings/users/${c.ids.alice}/unlock`, { cookie: c.clerk });
  assert.is(res.status, 403);
  assert.is(await count(c.db, 'SELECT count(*) FROM sign_in_lock_lifts'), 0);
  assert.is(await count(c.db, "SELECT count(*) FROM audit_log WHERE object_type = 'sign_in_lock'"), 0);
  assert.is((await signInFrom(c.app, 'alice', PASSWORD)).status, 429);
});

locks('a cross-site POST lifts nothing', async () => {
  const c = await clinic();
  const res = await request(c.app, 'POST', `/settings/users/${c.ids.alice}/unlock`, { cookie: c.boss, origin: 'https://evil.example' });
  assert.is(res.status, 403);
  assert.is(await count(c.db, 'SELECT count(*) FROM sign_in_lock_lifts'), 0);
  assert.is((await signInFrom(c.app, 'alice', PASSWORD)).status, 429);
});

locks('lifting when there is no lock writes nothing and says so; an unknown user is a 404', async () => {
  const c = await clinic();
  const res = await request(c.app, 'POST', `/settings/users/${c.ids.clerk}/unlock`, { cookie: c.boss, htmx: true });
  assert.is(res.status, 200);
  assert.is((await dom(res)).querySelector('.confirmation')?.textContent, 'clerk is not locked out: nothing to lift.');
  assert.is(await count(c.db, 'SELECT count(*) FROM sign_in_lock_lifts'), 0);
  assert.is(await count(c.db, "SELECT count(*) FROM audit_log WHERE object_type = 'sign_in_lock'"), 0);
  assert.is((await request(c.app, 'POST', '/settings/users/999/unlock', { cookie: c.boss })).status, 404);
});

locks('a lock from an attacker’s address is shown and lifted too; failures after the lift count again', async () => {
  const c = await clinic();
  for (let i = 0; i < 5; i++) {
    assert.is((await signInFrom(c.app, 'boss', `guess ${i}`, '203.0.113.66')).status, 401);
    c.clock.advance(30_000);
  }
  const doc = await dom(await request(c.app, 'GET', '/settings/users', { cookie: c.boss }));
  assert.equal([...doc.querySelectorAll('#locked-users li')].map((li) => li.textContent), ['alice until 12:15', 'boss until 12:20']);
  await request(c.app, 'POST', `/settings/users/${c.ids.alice}/unlock`, { cookie: c.boss });
  c.clock.advance(1);
  for (let i = 0; i < 5; i++) {
    assert.is((await signInFrom(c.app, 'alice', `not it again ${i}`)).status, 401);
    c.clock.advance(60_000);
  }
  assert.is((await signInFrom(c.app, 'alice', PASSWORD)).status, 429);
});

locks.run();
