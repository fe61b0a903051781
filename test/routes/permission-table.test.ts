import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { PERMISSIONS, type Permission } from '../../src/domain/people/permissions.ts';
import { freshDb, addUser, testApp, request, signIn } from '../support/app.ts';

// Who may do what, written by hand and kept apart from src/routes/manifest.ts on purpose: the
// manifest test checks routes against the manifest itself, so a wrong manifest line passed every
// test (issue 13: giving /settings/practitioners to any signed-in user). A new route must be
// added here with the access it is meant to have.
type Access = 'signed-in' | Permission;
const WHO_MAY: [string, Access][] = [
  ['GET /', 'signed-in'],
  ['GET /settings/cii-cpar/submissions', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/:panelId{[0-9]+}/submission', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/:panelId{[0-9]+}/registry', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/registry/:itemId{[0-9]+}', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/submissions', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/new', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/name-length', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/recipient-note', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/:panelId{[0-9]+}/edit', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/deactivation', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/activation', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/deletion', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/:panelId{[0-9]+}/members', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/members/search', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/members.csv', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/members/:patientId{[0-9]{1,15}}/confirmation', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/members/:patientId{[0-9]{1,15}}/removal', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/:panelId{[0-9]+}/candidates', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/candidates/search', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/members', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/confirmations', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/reconfirmations', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/removals', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/panels/:panelId{[0-9]+}/member-changes/:changeId{[0-9]{1,15}}/undo', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/:panelId{[0-9]+}', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/panels/:panelId{[0-9]+}/submissions', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/submissions/:submissionId{[0-9]+}', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/settings', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/settings', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/import', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/import', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/import/:token{[0-9a-f-]{36}}', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/import/:token{[0-9a-f-]{36}}/apply', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/import/:token{[0-9a-f-]{36}}/cancel', 'cii_cpar_settings'],
  ['GET /settings/cii-cpar/import/csv/:token{[0-9a-f-]{36}}', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/import/csv/:token{[0-9a-f-]{36}}', 'cii_cpar_settings'],
  ['POST /settings/cii-cpar/import/csv/:token{[0-9a-f-]{36}}/cancel', 'cii_cpar_settings'],
  ['GET /settings/practitioners', 'manage_users'],
  ['GET /settings/practitioners/:practitionerId{[0-9]+}/edit', 'manage_users'],
  ['POST /settings/practitioners/:practitionerId{[0-9]+}', 'manage_users'],
  ['GET /settings/users', 'manage_users'],
  ['GET /settings/users/new', 'manage_users'],
  ['POST /settings/users', 'manage_users'],
  ['POST /settings/users/:userId{[0-9]+}/permissions', 'manage_users'],
  ['POST /settings/users/:userId{[0-9]+}/disable', 'manage_users'],
  ['POST /settings/users/:userId{[0-9]+}/enable', 'manage_users'],
  ['POST /settings/users/:userId{[0-9]+}/password', 'manage_users'],
  ['POST /settings/users/:userId{[0-9]+}/unlock', 'manage_users'],
  ['GET /settings/audit-log', 'view_audit_log'],
  ['GET /settings/audit-log/patient-access', 'view_audit_log'],
  ['POST /settings/audit-log/patient-access', 'view_audit_log'],
  ['POST /settings/audit-log', 'view_audit_log'],
  ['GET /inbox', 'signed-in'],
  ['GET /inbox/unread-count', 'signed-in'],
  ['GET /inbox/:id{[0-9]{1,15}}', 'signed-in'],
];
const PUBLIC = ['GET /static/:file', 'GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /login', 'POST /login', 'POST /logout'];

const table = suite('permissions by a hand-written table');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
const cookies = new Map<string, string>();

table.before(async () => {
  db = await freshDb();
  await addUser(db, 'none');
  for (const p of PERMISSIONS) await addUser(db, p, [p]);
  ({ app } = testApp(db));
  for (const name of ['none', ...PERMISSIONS]) cookies.set(name, await signIn(app, name));
});

/** A concrete path for a route; ids that exist nowhere, so an allowed POST changes nothing. */
const concrete = (path: string) =>
  path.replace(/:token\{[^}]*\}/g, '00000000-0000-0000-0000-000000000000').replace(/:[A-Za-z]+(\{[^}]*\})?/g, '999999');

table('the app registers exactly the routes of the table', () => {
  const registered = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
  assert.equal([...registered].sort(), [...WHO_MAY.map(([r]) => r), ...PUBLIC].sort());
});

table('each route answers exactly the users the table names: anonymous, no permission, each single permission', async () => {
  let checked = 0;
  for (const [route, access] of WHO_MAY) {
    const [method, path] = route.split(' ') as ['GET' | 'POST', string];
    const url = concrete(path);
    const anonymous = await request(app, method, url);
    assert.is(anonymous.status, 302, `anonymous ${route}`);
    assert.match(anonymous.headers.get('Location') ?? '', /^\/login/);
    for (const [name, cookie] of cookies) {
      const allowed = access === 'signed-in' || access === name;
      const res = await request(app, method, url, { cookie });
      const label = `${name} ${route} (${res.status})`;
      if (allowed) {
        assert.is.not(res.status, 403, label);
        assert.not.match(res.headers.get('Location') ?? '', /^\/login/, label);
      } else {
        assert.is(res.status, 403, label);
      }
      checked++;
    }
  }
  assert.is(checked, WHO_MAY.length * (PERMISSIONS.length + 1));
});

table.run();
