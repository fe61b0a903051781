import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDb, addUser, testApp, request, dom, count, PASSWORD } from '../support/app.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/app.tsx';
import { delayAfter, THROTTLE } from '../../src/domain/people/sign-in-policy.ts';

const throttle = suite('sign-in throttling and the sign-in trail');

const signInAs = (app: ReturnType<typeof testApp>['app'], username: string, password: string) =>
  request(app, 'POST', '/login', { form: { username, password } });

throttle('the delay holds across two portal processes sharing the database', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const clock = new ManualClock('2026-11-10T12:00:00-07:00');
  const config = loadConfig({ NODE_ENV: 'test' });
  const one = createApp({ db, clock, config });
  const two = createApp({ db, clock, config });
  for (let i = 0; i < 2; i++) assert.is((await signInAs(one, 'clerk', 'nope nope nope')).status, 401);
  assert.is((await signInAs(two, 'clerk', 'nope nope nope')).status, 401);
  assert.is((await signInAs(one, 'clerk', PASSWORD)).status, 429);
  assert.is((await signInAs(two, 'clerk', PASSWORD)).status, 429);
  clock.advance(1000);
  assert.is((await signInAs(two, 'clerk', PASSWORD)).status, 303);
});

throttle('a success clears the username’s count', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app, clock } = testApp(db);
  for (let i = 0; i < 3; i++) await signInAs(app, 'clerk', 'nope nope nope');
  clock.advance(1000);
  assert.is((await signInAs(app, 'clerk', PASSWORD)).status, 303);
  clock.advance(1);
  for (let i = 0; i < 3; i++) assert.is((await signInAs(app, 'clerk', 'nope nope nope')).status, 401);
  // Six failures would mean an 8 s wait: these three are the only ones that count.
  assert.is((await signInAs(app, 'clerk', PASSWORD)).status, 429);
  clock.advance(1000);
  assert.is((await signInAs(app, 'clerk', PASSWORD)).status, 303);
});

throttle('100 simultaneous wrong passwords for one user from 100 addresses: only the free ones are checked (issue 13)', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app } = testApp(db);
  // The address comes from the socket; an env like @hono/node-server's gives each request its own.
  const from = (i: number) => ({ incoming: { socket: { remoteAddress: `10.0.0.${i}`, remotePort: 5000, remoteFamily: 'IPv4' } } });
  const answers = await Promise.all(Array.from({ length: 100 }, (_, i) =>
    app.request('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
      body: new URLSearchParams({ username: 'clerk', password: `wrong guess ${i}` }).toString(),
    }, from(i))));
  assert.equal([...new Set(answers.map((r) => r.status))].sort(), [401, 429]);
  assert.is(await count(db, 'SELECT count(DISTINCT address) FROM sign_in_attempts'), 100);
  // A refused attempt is audited as "throttled" and its password never reaches the verifier.
  const checked = await count(db, "SELECT count(*) FROM audit_log WHERE action = 'sign-in failed' AND object_type IS NULL");
  // Past the free failures each attempt waits for a delay after the last one: none at once.
  assert.is(checked, THROTTLE.freeFailures);
});

throttle('many failures from one address lock it out for every username', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app } = testApp(db);
  for (let i = 0; i < 20; i++) assert.is((await signInAs(app, `user${i}`, 'nope nope nope')).status, 401);
  assert.is((await signInAs(app, 'clerk', PASSWORD)).status, 429);
});

throttle('every attempt is in the audit trail, without the password', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app } = testApp(db);
  await signInAs(app, 'clerk', 'a secret guess here');
  await signInAs(app, 'clerk', PASSWORD);
  const rows = (await db.execute('SELECT action, username, user_id, route FROM audit_log ORDER BY id')).rows;
  assert.equal(rows.map((r) => [r.action, r.username, r.route]), [['sign-in failed', 'clerk', 'POST /login'], ['sign-in', 'clerk', 'POST /login']]);
  assert.is(rows[0].user_id, null);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE coalesce(route, '') || coalesce(object_id, '') || coalesce(request_id, '') LIKE '%secret%'"), 0);
});

// ─── issue 13: no lockout an attacker can cause ─────────────────────────────
const ATTACKER = '203.0.113.66';
const OWNER = '198.51.100.7';
const fromAddress = (app: ReturnType<typeof testApp>['app'], address: string, username: string, password: string) =>
  app.request('http://localhost/login', {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
    body: new URLSearchParams({ username, password }).toString(),
  }, { incoming: { socket: { remoteAddress: address, remotePort: 5000, remoteFamily: 'IPv4' } } });

throttle('guesses from an attacker’s address do not lock the owner out of their own address (issue 13)', async () => {
  const db = await freshDb();
  await addUser(db, 'admin', ['manage_users']);
  const { app, clock } = testApp(db);
  for (let i = 0; i < 12; i++) {
    await fromAddress(app, ATTACKER, 'admin', `guess number ${i}`);
    clock.advance(40_000); // slower than any delay: only the limits can refuse
  }
  // The attacker's own address is refused now, even with the right password …
  assert.is((await fromAddress(app, ATTACKER, 'admin', PASSWORD)).status, 429);
  // … and the owner, from theirs, signs in.
  assert.is((await fromAddress(app, OWNER, 'admin', PASSWORD)).status, 303);
});

throttle('failures from many addresses refuse the username everywhere once they pass the username’s limit', async () => {
  const db = await freshDb();
  await addUser(db, 'admin', ['manage_users']);
  const { app, clock } = testApp(db);
  for (let i = 1; i <= THROTTLE.perUsername; i++) {
    assert.is((await fromAddress(app, `203.0.113.${i}`, 'admin', `guess number ${i}`)).status, 401);
    clock.advance(delayAfter(i)); // as fast as the delays allow: 30 failures in about 11½ minutes
  }
  assert.is((await fromAddress(app, OWNER, 'admin', PASSWORD)).status, 429);
});

throttle('after failures the next attempt waits a growing delay, and the page says until when in Edmonton time', async () => {
  const db = await freshDb();
  await addUser(db, 'admin', ['manage_users']);
  const { app, clock } = testApp(db); // 12:00 in Edmonton
  for (let i = 0; i < 3; i++) assert.is((await fromAddress(app, `203.0.113.${i}`, 'admin', 'a wrong guess')).status, 401);
  // Three failures: the fourth attempt waits 1 s, even with the right password, from anywhere.
  const early = await fromAddress(app, OWNER, 'admin', PASSWORD);
  assert.is(early.status, 429);
  assert.is((await dom(early)).querySelector('#login-error')?.textContent, 'Too many attempts. Try again after 12:00:01.');
  assert.is(early.headers.get('Set-Cookie'), null);
  // Refused before its password was checked: audited as a throttled failure, by nobody.
  const trail = (await db.execute('SELECT action, object_type, user_id FROM audit_log ORDER BY id DESC LIMIT 1')).rows[0];
  assert.equal({ ...trail }, { action: 'sign-in failed', object_type: 'throttled', user_id: null });
  clock.advance(1000);
  assert.is((await fromAddress(app, '203.0.113.9', 'admin', 'a wrong guess')).status, 401);
  clock.advance(1999);
  assert.is((await fromAddress(app, OWNER, 'admin', PASSWORD)).status, 429, 'the fifth waits 2 s');
  clock.advance(1);
  assert.is((await fromAddress(app, OWNER, 'admin', PASSWORD)).status, 303);
});

throttle('a refusal of an unknown username reads and answers exactly like one of a real user', async () => {
  const db = await freshDb();
  await addUser(db, 'admin', ['manage_users']);
  const { app } = testApp(db);
  const answers: string[] = [];
  for (const name of ['admin', 'nobody']) {
    for (let i = 0; i < 3; i++) await fromAddress(app, ATTACKER, name, 'a wrong guess');
    const refused = await fromAddress(app, ATTACKER, name, PASSWORD);
    assert.is(refused.status, 429);
    answers.push((await dom(refused)).querySelector('#login-error')?.textContent ?? '');
  }
  assert.is(answers[0], 'Too many attempts. Try again after 12:00:01.');
  assert.is(answers[1], answers[0]);
});

throttle('a long refusal names the minute after it ends', async () => {
  const db = await freshDb();
  await addUser(db, 'admin', ['manage_users']);
  const { app, clock } = testApp(db);
  clock.advance(7_000); // 12:00:07
  for (let i = 0; i < 5; i++) {
    await fromAddress(app, ATTACKER, 'admin', 'a wrong guess');
    clock.advance(60_000);
  }
  // The pair's first failure (12:00:07) leaves the 15-minute window at 12:15:07.
  const refused = await fromAddress(app, ATTACKER, 'admin', PASSWORD);
  assert.is((await dom(refused)).querySelector('#login-error')?.textContent, 'Too many attempts. Try again after 12:16.');
});

// Behind the TLS proxy every socket is the proxy's: the client is the address the proxy appended.
const viaProxy = (app: ReturnType<typeof testApp>['app'], forwardedFor: string, username: string, password: string) =>
  app.request('http://localhost/login', {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost', 'X-Forwarded-For': forwardedFor },
    body: new URLSearchParams({ username, password }).toString(),
  }, { incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 5000, remoteFamily: 'IPv4' } } });

function appBehindProxy(db: Awaited<ReturnType<typeof freshDb>>, trusted: string) {
  const clock = new ManualClock('2026-11-10T12:00:00-07:00');
  return { clock, app: createApp({ db, clock, config: loadConfig({ NODE_ENV: 'test', TRUSTED_PROXIES: trusted }) }) };
}

throttle('behind a trusted proxy the attacker’s guesses refuse only the attacker, whatever they forge before the proxy’s entry', async () => {
  const db = await freshDb();
  await addUser(db, 'admin', ['manage_users']);
  const { app, clock } = appBehindProxy(db, '127.0.0.1');
  for (let i = 0; i < 8; i++) {
    await viaProxy(app, `10.9.9.${i}, ${ATTACKER}`, 'admin', `guess number ${i}`);
    clock.advance(40_000);
  }
  assert.is((await viaProxy(app, `10.9.9.99, ${ATTACKER}`, 'admin', PASSWORD)).status, 429);
  assert.is((await viaProxy(app, OWNER, 'admin', PASSWORD)).status, 303);
});

throttle('X-Forwarded-For from a peer that is not a trusted proxy is ignored', async () => {
  const db = await freshDb();
  await addUser(db, 'admin', ['manage_users']);
  const { app, clock } = appBehindProxy(db, '10.0.0.1');
  for (let i = 0; i < 5; i++) {
    await viaProxy(app, `10.9.9.${i}`, 'admin', `guess number ${i}`);
    clock.advance(40_000);
  }
  assert.is((await viaProxy(app, OWNER, 'admin', PASSWORD)).status, 429, 'one socket address: one pair');
});

throttle.run();
