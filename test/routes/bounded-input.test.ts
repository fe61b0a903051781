// Bounded input: a request body over 1 MB is refused with 413 before anything reads it, and
// the sign-in fields are capped before any password is hashed or anything is echoed back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count, ORIGIN, PASSWORD } from '../support/app.ts';

const bounded = suite('bounded input');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
bounded.before(async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  ({ app } = testApp(db));
});

const MB = 1024 * 1024;
const bigForm = () => `username=clerk&password=${'x'.repeat(2 * MB)}`;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN };

/** Sign-in attempts the handler got to: each one is audited (and throttled) before or after hashing. */
const reachedHandler = () => count(db, "SELECT (SELECT count(*) FROM audit_log WHERE route = 'POST /login') + (SELECT count(*) FROM sign_in_attempts)");

bounded('a 2 MB sign-in body declared by Content-Length gets 413, and no password is checked', async () => {
  const before = await reachedHandler();
  const body = bigForm();
  const res = await app.request(`${ORIGIN}/login`, { method: 'POST', headers: { ...FORM, 'Content-Length': String(body.length) }, body });
  assert.is(res.status, 413);
  assert.match(await res.text(), 'too large');
  assert.is(await reachedHandler(), before, 'the sign-in handler ran');
});

bounded('a 2 MB body streamed without a length gets 413 once 1 MB has arrived', async () => {
  const before = await reachedHandler();
  let sent = 0;
  const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
  const body = new ReadableStream<Uint8Array>({
    start(controller) { controller.enqueue(new TextEncoder().encode('username=clerk&password=')); },
    pull(controller) {
      if (sent >= 2 * MB) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const res = await app.request(`${ORIGIN}/login`, { method: 'POST', headers: FORM, body, duplex: 'half' } as RequestInit);
  assert.is(res.status, 413);
  assert.ok(sent <= MB + 2 * chunk.length, `read ${sent} bytes before refusing`);
  assert.is(await reachedHandler(), before, 'the sign-in handler ran');
});

bounded('a body just under 1 MB still reaches the page', async () => {
  const cookie = await signIn(app, 'clerk');
  const res = await request(app, 'POST', '/settings/cii-cpar/panels', { cookie, form: { name: 'x'.repeat(MB - 100) } });
  assert.is.not(res.status, 413);
  assert.ok(res.status < 500, String(res.status));
});

bounded('a 50 KB username is refused with a clear message and not echoed, before any hashing', async () => {
  const before = await reachedHandler();
  const username = `${'u'.repeat(50 * 1024)}END`;
  const res = await request(app, 'POST', '/login', { form: { username, password: PASSWORD } });
  assert.is(res.status, 422);
  const html = await res.text();
  assert.not.match(html, 'u'.repeat(257));
  const doc = (await dom(new Response(html)));
  assert.match(doc.querySelector('#login-error')!.textContent!, 'Usernames are at most 256 characters');
  assert.is(doc.querySelector('input[name=username]')!.getAttribute('value') ?? '', '');
  assert.is(await reachedHandler(), before, 'the attempt reached the password check');
});

bounded('a password over 1,024 characters is refused with a clear message, before any hashing', async () => {
  const before = await reachedHandler();
  const res = await request(app, 'POST', '/login', { form: { username: 'clerk', password: 'p'.repeat(1025) } });
  assert.is(res.status, 422);
  const doc = await dom(res);
  assert.match(doc.querySelector('#login-error')!.textContent!, 'Passwords are at most 1,024 characters');
  assert.is(doc.querySelector('input[name=username]')!.getAttribute('value'), 'clerk');
  assert.is(await reachedHandler(), before);
});

bounded('fields at their caps are checked as usual', async () => {
  const res = await request(app, 'POST', '/login', { form: { username: 'u'.repeat(256), password: 'p'.repeat(1024) } });
  assert.is(res.status, 401);
  const form = (await dom(await request(app, 'GET', '/login'))).querySelector('form[action="/login"]')!;
  assert.is(form.querySelector('input[name=username]')!.getAttribute('maxlength'), '256');
  assert.is(form.querySelector('input[name=password]')!.getAttribute('maxlength'), '1024');
});

bounded.run();
