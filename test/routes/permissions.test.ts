import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/db.ts';
import { PERMISSION_LABELS, type Permission } from '../../src/domain/permissions.ts';
import { accessFor } from '../../src/routes/manifest.ts';
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

/** Every registered route under /settings, with its parameters filled in. */
function settingsRoutes() {
  const seen = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || !route.path.startsWith('/settings')) continue;
    seen.add(`${route.method} ${route.path.replace(/:panelId/g, String(panelId))}`);
  }
  return [...seen].map((r) => r.split(' ') as ['GET' | 'POST', string]);
}

async function snapshot() {
  return [
    await count(db, 'SELECT count(*) FROM submissions'),
    await count(db, "SELECT count(*) FROM submissions WHERE status = 'Queued'"),
  ];
}

permissions('the settings area has GET and POST routes to check', () => {
  const routes = settingsRoutes();
  assert.ok(routes.some(([m]) => m === 'GET'));
  assert.ok(routes.some(([m]) => m === 'POST'));
});

permissions('a user without the permission gets 403 on every settings page, fragment and POST', async () => {
  const cookie = await signIn(app, 'physician');
  const before = await snapshot();
  for (const [method, path] of settingsRoutes()) {
    for (const htmx of [false, true]) {
      const res = await request(app, method, path, { cookie, htmx });
      assert.is(res.status, 403, `${method} ${path} htmx=${htmx}`);
      const text = await res.text();
      const needed = PERMISSION_LABELS[accessFor(path) as Permission];
      assert.match(text, needed, `${method} ${path} names the missing permission`);
    }
  }
  assert.equal(await snapshot(), before);
});

permissions('a 403 for htmx lands in the flash area, not in the row', async () => {
  const cookie = await signIn(app, 'physician');
  const res = await request(app, 'POST', `/settings/cii-cpar/panels/${panelId}/submissions`, { cookie, htmx: true });
  assert.is(res.headers.get('HX-Retarget'), '#flash');
  assert.ok((await dom(res)).querySelector('#flash [role=alert]'));
});

permissions('anonymous requests to every settings route are sent to sign in', async () => {
  const before = await snapshot();
  for (const [method, path] of settingsRoutes()) {
    const res = await request(app, method, path);
    assert.is(res.status, 302, `${method} ${path}`);
    assert.match(res.headers.get('Location') ?? '', /^\/login/);
  }
  assert.equal(await snapshot(), before);
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
