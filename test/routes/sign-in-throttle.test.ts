import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { freshDb, addUser, testApp, request, dom, count, PASSWORD } from '../support/app.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/app.tsx';

const throttle = suite('sign-in throttling and the sign-in trail');

const signInAs = (app: ReturnType<typeof testApp>['app'], username: string, password: string) =>
  request(app, 'POST', '/login', { form: { username, password } });

throttle('after 5 failures a username is refused for 15 minutes, even with the right password, with the same message', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app, clock } = testApp(db);
  const wrong = await signInAs(app, 'clerk', 'wrong password 1');
  const message = (await dom(wrong)).querySelector('#login-error')?.textContent;
  for (let i = 2; i <= 5; i++) assert.is((await signInAs(app, 'clerk', `wrong password ${i}`)).status, 401);
  const refused = await signInAs(app, 'clerk', PASSWORD);
  assert.is(refused.status, 401);
  assert.is((await dom(refused)).querySelector('#login-error')?.textContent, message);
  assert.is(refused.headers.get('Set-Cookie'), null);
  clock.advance(15 * 60_000 + 1);
  assert.is((await signInAs(app, 'clerk', PASSWORD)).status, 303);
});

throttle('the limit holds across two portal processes sharing the database', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const clock = new ManualClock('2026-11-10T12:00:00-07:00');
  const config = loadConfig({ NODE_ENV: 'test' });
  const one = createApp({ db, clock, config });
  const two = createApp({ db, clock, config });
  for (let i = 0; i < 3; i++) await signInAs(one, 'clerk', 'nope nope nope');
  for (let i = 0; i < 2; i++) await signInAs(two, 'clerk', 'nope nope nope');
  assert.is((await signInAs(one, 'clerk', PASSWORD)).status, 401);
  assert.is((await signInAs(two, 'clerk', PASSWORD)).status, 401);
});

throttle('a success clears the username’s count', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app } = testApp(db);
  for (let i = 0; i < 4; i++) await signInAs(app, 'clerk', 'nope nope nope');
  assert.is((await signInAs(app, 'clerk', PASSWORD)).status, 303);
  for (let i = 0; i < 4; i++) await signInAs(app, 'clerk', 'nope nope nope');
  assert.is((await signInAs(app, 'clerk', PASSWORD)).status, 303);
});

throttle('100 simultaneous wrong passwords for one user from 100 addresses: at most 5 are checked (issue 13)', async () => {
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
  assert.ok(answers.every((r) => r.status === 401));
  assert.is(await count(db, 'SELECT count(DISTINCT address) FROM sign_in_attempts'), 100);
  // A refused attempt is audited as "throttled" and its password never reaches the verifier.
  const checked = await count(db, "SELECT count(*) FROM audit_log WHERE action = 'sign-in failed' AND object_type IS NULL");
  assert.ok(checked <= 5, `${checked} passwords were checked`);
  assert.is(checked, 5);
});

throttle('many failures from one address lock it out for every username', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app } = testApp(db);
  for (let i = 0; i < 20; i++) await signInAs(app, `user${i}`, 'nope nope nope');
  assert.is((await signInAs(app, 'clerk', PASSWORD)).status, 401);
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

throttle.run();
