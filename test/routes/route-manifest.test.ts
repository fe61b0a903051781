import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { accessFor } from '../../src/routes/manifest.ts';
import { freshDb, addUser, addSubmission, testApp, request, signIn } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

// Access control proven route by route: every registered route is declared in the manifest,
// and every gated one refuses anonymous and unprivileged callers without changing anything.
const manifest = suite('route manifest');
let db: Db;
let app: ReturnType<typeof testApp>['app'];

manifest.before(async () => {
  db = await freshDb();
  await addUser(db, 'nobody'); // signed in, no permission at all
  const recipient = await addUser(db, 'jsmith', ['cii_cpar_settings']);
  const { panelId } = await addClinicPanel(db, { name: 'Gated', patients: 2, withoutConfirmation: 1, recipient });
  const submission = await addSubmission(db, panelId, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 3 });
  await db.execute({ sql: "INSERT INTO submission_problems (submission_id, reason, patient_id) VALUES (?, 'no_confirmation_date', 3)", args: [submission] });
  await db.execute({ sql: "INSERT INTO inbox_messages (recipient_id, subject, body, created_at) VALUES (?, 's', 'b', 0)", args: [recipient] });
  ({ app } = testApp(db));
});

/** Every (method, path) the app registered, with parameters filled with ids that exist. */
function registeredRoutes(): ['GET' | 'POST', string][] {
  const seen = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const path = route.path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, '1');
    seen.add(`${route.method} ${path}`);
  }
  return [...seen].map((r) => r.split(' ') as ['GET' | 'POST', string]);
}

/** Everything but the trails that a refused request is expected to append to. */
async function snapshot(): Promise<string> {
  const tables = (await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('audit_log', 'sign_in_attempts', 'sessions') ORDER BY name")).rows;
  const parts: string[] = [];
  for (const { name } of tables) parts.push(JSON.stringify((await db.execute(`SELECT * FROM "${String(name)}"`)).rows));
  return parts.join('\n');
}

manifest('every registered route is declared, and only sign-in, static assets and the service endpoints are public', () => {
  const routes = registeredRoutes();
  assert.ok(routes.length > 10);
  for (const [method, path] of routes) assert.ok(accessFor(path), `${method} ${path} has no declaration`);
  const open = routes.filter(([, path]) => accessFor(path) === 'public').map(([m, p]) => `${m} ${p}`).sort();
  // /metrics is public to the manifest but checks its scraper itself: test/service/health-metrics.test.ts.
  assert.equal(open, ['GET /healthz', 'GET /login', 'GET /metrics', 'GET /readyz', 'GET /static/1', 'POST /login', 'POST /logout']);
});

manifest('anonymous callers of every non-public route are sent to sign in, and nothing changes', async () => {
  const before = await snapshot();
  for (const [method, path] of registeredRoutes()) {
    if (accessFor(path) === 'public') continue;
    const page = await request(app, method, path);
    assert.is(page.status, 302, `${method} ${path}`);
    const fragment = await request(app, method, path, { htmx: true });
    assert.is(fragment.status, 401, `${method} ${path} (htmx)`);
    assert.is(fragment.headers.get('HX-Redirect'), '/login');
  }
  assert.is(await snapshot(), before);
});

manifest('a signed-in user without the permission gets 403 on every gated route, and nothing changes', async () => {
  const cookie = await signIn(app, 'nobody');
  const before = await snapshot();
  let checked = 0;
  for (const [method, path] of registeredRoutes()) {
    const access = accessFor(path);
    if (access === 'public' || access === 'signed-in') continue;
    for (const htmx of [false, true]) {
      const res = await request(app, method, path, { cookie, htmx, form: { name: '<x>', patient_id: '1', permission: 'manage_users' } });
      assert.is(res.status, 403, `${method} ${path} htmx=${htmx}`);
      checked++;
    }
  }
  assert.ok(checked > 10);
  assert.is(await snapshot(), before);
  const denied = await db.execute("SELECT count(*) AS n FROM audit_log WHERE action = 'denied' AND username = 'nobody'");
  assert.is(Number(denied.rows[0].n), checked, 'every denial is in the audit trail');
});

manifest.run();
