import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, addPanel, addSubmission, testApp, request, signIn, dom, count } from '../support/app.ts';

const permissions = suite('permissions');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let panelId: number;

permissions.before(async () => {
  db = await freshDb();
  await addUser(db, 'physician');
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  panelId = await addPanel(db, 'Gated panel');
  await addSubmission(db, panelId, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 3 });
  ({ app } = testApp(db));
});

// Every route, as anonymous and unprivileged users: test/routes/route-manifest.test.ts.

permissions('a 403 for htmx lands in the flash area, not in the row', async () => {
  const cookie = await signIn(app, 'physician');
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${panelId}/submissions`, { cookie, htmx: true });
  assert.is(res.status, 403);
  assert.is(res.headers.get('HX-Retarget'), '#flash');
  assert.ok((await dom(res)).querySelector('#flash [role=alert]'));
  assert.match(await (await request(app, 'GET', '/settings/cii-cpar/submissions', { cookie })).text(), 'CII/CPAR settings');
  assert.is(await count(db, "SELECT count(*) FROM submissions WHERE status = 'Queued'"), 0);
});

permissions('the navigation shows Submissions only to users with the permission', async () => {
  const physician = await dom(await request(app, 'GET', '/inbox', { cookie: await signIn(app, 'physician') }));
  assert.not.ok(physician.querySelector('nav a[href="/settings/cii-cpar/submissions"]'));
  const clerk = await dom(await request(app, 'GET', '/inbox', { cookie: await signIn(app, 'clerk') }));
  assert.ok(clerk.querySelector('nav a[href="/settings/cii-cpar/submissions"]'));
});

permissions('a permission granted or removed takes effect on the next request', async () => {
  const cookie = await signIn(app, 'physician');
  const path = '/settings/cii-cpar/submissions';
  assert.is((await request(app, 'GET', path, { cookie })).status, 403);
  await db.execute("INSERT INTO user_permissions SELECT id, 'cii_cpar_settings' FROM users WHERE username = 'physician'");
  assert.is((await request(app, 'GET', path, { cookie })).status, 200);
  await db.execute("DELETE FROM user_permissions WHERE user_id = (SELECT id FROM users WHERE username = 'physician')");
  assert.is((await request(app, 'GET', path, { cookie })).status, 403);
});

permissions('the home page sends each user where they can work', async () => {
  const physician = await request(app, 'GET', '/', { cookie: await signIn(app, 'physician') });
  assert.is(physician.headers.get('Location'), '/inbox');
  const clerk = await request(app, 'GET', '/', { cookie: await signIn(app, 'clerk') });
  assert.is(clerk.headers.get('Location'), '/settings/cii-cpar/submissions');
});

permissions.run();
