import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count, PASSWORD } from '../support/app.ts';

const auth = suite('sign-in and sessions');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let clock: ReturnType<typeof testApp>['clock'];
auth.before(async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  ({ app, clock } = testApp(db));
});

auth('the login form has username and password fields', async () => {
  const res = await request(app, 'GET', '/login');
  assert.is(res.status, 200);
  const doc = await dom(res);
  assert.ok(doc.querySelector('form[method=post][action="/login"] input[name=username]'));
  assert.ok(doc.querySelector('input[name=password][type=password]'));
  assert.ok(doc.querySelector('label[for=username]'));
});

auth('a page without a session redirects to /login', async () => {
  const res = await request(app, 'GET', '/settings/cii-cpar/submissions');
  assert.is(res.status, 302);
  assert.is(res.headers.get('Location'), '/login?next=%2Fsettings%2Fcii-cpar%2Fsubmissions');
});

auth('an htmx request without a session gets HX-Redirect', async () => {
  const res = await request(app, 'GET', '/settings/cii-cpar/panels/1/submission', { htmx: true });
  assert.is(res.status, 401);
  assert.is(res.headers.get('HX-Redirect'), '/login');
});

auth('a wrong password and an unknown username get the same message', async () => {
  const wrong = await request(app, 'POST', '/login', { form: { username: 'clerk', password: 'not the password' } });
  const unknown = await request(app, 'POST', '/login', { form: { username: 'nobody', password: 'not the password' } });
  assert.is(wrong.status, 401);
  assert.is(unknown.status, 401);
  assert.is(wrong.headers.get('Set-Cookie'), null);
  const a = (await dom(wrong)).querySelector('#login-error')?.textContent;
  const b = (await dom(unknown)).querySelector('#login-error')?.textContent;
  assert.ok(a);
  assert.is(a, b);
});

auth('a failed sign-in keeps the username typed, never the password', async () => {
  const res = await request(app, 'POST', '/login', { form: { username: 'clerk', password: 'secret-typed-here' } });
  const html = await res.text();
  assert.match(html, 'value="clerk"');
  assert.not.match(html, 'secret-typed-here');
});

auth('signing in sets an HttpOnly SameSite=Lax cookie and opens the portal', async () => {
  const res = await request(app, 'POST', '/login', { form: { username: 'clerk', password: PASSWORD } });
  assert.is(res.status, 303);
  const cookie = res.headers.get('Set-Cookie') ?? '';
  assert.match(cookie, /^session=[a-z0-9]+\.[a-z0-9]+;/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  const page = await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie: cookie.split(';')[0] });
  assert.is(page.status, 200);
});

auth('each sign-in gets a new token and a planted cookie is dropped', async () => {
  const first = await signIn(app, 'clerk');
  const res = await request(app, 'POST', '/login', { cookie: first, form: { username: 'clerk', password: PASSWORD } });
  const second = (res.headers.get('Set-Cookie') ?? '').split(';')[0];
  assert.is.not(first, second);
  assert.is((await request(app, 'GET', '/inbox', { cookie: first })).status, 302);
  assert.is((await request(app, 'GET', '/inbox', { cookie: second })).status, 200);
});

auth('signing out deletes the session', async () => {
  const cookie = await signIn(app, 'clerk');
  const before = await count(db, 'SELECT count(*) FROM sessions');
  const res = await request(app, 'POST', '/logout', { cookie });
  assert.is(res.status, 303);
  assert.is(res.headers.get('Location'), '/login');
  assert.is(await count(db, 'SELECT count(*) FROM sessions'), before - 1);
  assert.is((await request(app, 'GET', '/inbox', { cookie })).status, 302);
});

auth('a session idle for 30 minutes sends the user back to sign in', async () => {
  const cookie = await signIn(app, 'clerk');
  clock.advance(31 * 60_000);
  assert.is((await request(app, 'GET', '/inbox', { cookie })).status, 302);
});

auth('a disabled user is signed out on the next request and cannot sign in', async () => {
  const cookie = await signIn(app, 'clerk');
  await db.execute("UPDATE users SET disabled_at = 1 WHERE username = 'clerk'");
  assert.is((await request(app, 'GET', '/inbox', { cookie })).status, 302);
  const res = await request(app, 'POST', '/login', { form: { username: 'clerk', password: PASSWORD } });
  assert.is(res.status, 401);
  await db.execute("UPDATE users SET disabled_at = NULL WHERE username = 'clerk'");
});

auth('after sign-in the user goes to the page they asked for, never off-site', async () => {
  const ok = await request(app, 'POST', '/login', { form: { username: 'clerk', password: PASSWORD, next: '/inbox' } });
  assert.is(ok.headers.get('Location'), '/inbox');
  const evil = await request(app, 'POST', '/login', { form: { username: 'clerk', password: PASSWORD, next: '//evil.example' } });
  assert.is(evil.headers.get('Location'), '/');
});

auth('a hostile next goes to the home page, never off-site nor to a 500 (issue 13)', async () => {
  const hostile = ['//evil.example', '/\\evil.example', '\\\\evil.example', '/\t/evil.example', '/%09/evil.example',
    '\t/evil.example', '/\r\nSet-Cookie: x=1', '/inbox\r\nX: y', '/\v/evil.example', '/\n/evil.example',
    'https://evil.example/', 'http:/evil.example', 'javascript:alert(1)', '/%2F/evil.example', '/%5Cevil.example',
    ' /inbox', '', '.', 'inbox', '/ /evil.example'];
  for (const next of hostile) {
    const res = await request(app, 'POST', '/login', { form: { username: 'clerk', password: PASSWORD, next } });
    assert.is(res.status, 303, JSON.stringify(next));
    assert.is(res.headers.get('Location'), '/', JSON.stringify(next));
  }
  for (const next of ['/inbox', '/settings/cii-cpar/submissions?page=2', '/settings/users#user-3']) {
    const res = await request(app, 'POST', '/login', { form: { username: 'clerk', password: PASSWORD, next } });
    assert.is(res.headers.get('Location'), next);
  }
});

auth('signing out with a right session id and a wrong secret deletes nothing (issue 13)', async () => {
  const cookie = await signIn(app, 'clerk');
  const [name, token] = cookie.split('=');
  const forged = `${name}=${token.split('.')[0]}.wrongsecretwrongsecret`;
  const res = await request(app, 'POST', '/logout', { cookie: forged });
  assert.is(res.status, 303);
  assert.is((await request(app, 'GET', '/inbox', { cookie })).status, 200);
  const bare = await request(app, 'POST', '/logout', { cookie: `${name}=${token.split('.')[0]}` });
  assert.is(bare.status, 303);
  assert.is((await request(app, 'GET', '/inbox', { cookie })).status, 200);
});

auth('a cross-origin POST is refused and changes nothing', async () => {
  const cookie = await signIn(app, 'clerk');
  const before = await count(db, 'SELECT count(*) FROM sessions');
  const res = await request(app, 'POST', '/logout', { cookie, origin: 'http://evil.example' });
  assert.is(res.status, 403);
  assert.is(await count(db, 'SELECT count(*) FROM sessions'), before);
  const noOrigin = await request(app, 'POST', '/logout', { cookie, origin: null });
  assert.is(noOrigin.status, 403);
});

auth('behind TLS the cookie is Secure with the __Host- prefix', async () => {
  const { loadConfig } = await import('../../src/config.ts');
  const { createApp } = await import('../../src/app.tsx');
  const secure = createApp({ db, clock, config: loadConfig({ NODE_ENV: 'test', COOKIE_SECURE: 'true' }) });
  const res = await request(secure, 'POST', '/login', { form: { username: 'clerk', password: PASSWORD } });
  const cookie = res.headers.get('Set-Cookie') ?? '';
  assert.match(cookie, /^__Host-session=/);
  assert.match(cookie, /; Secure/);
  assert.match(cookie, /Path=\//);
  assert.not.match(cookie, /Domain=/);
  const page = await request(secure, 'GET', '/inbox', { cookie: cookie.split(';')[0] });
  assert.is(page.status, 200);
});

auth.run();
