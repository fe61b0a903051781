// Who may do what, written out by hand: every route the app serves and the one permission it
// needs, independent of the route manifest that the app's guards are built from. Each route is
// called for real by a user holding each permission alone, and by one holding none: the
// permission's holder gets through (ids that do not exist and empty forms, so nothing
// changes), everyone else gets 403. Changing one line of the manifest fails this test.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/db.ts';
import type { Permission } from '../../src/domain/permissions.ts';
import { freshDb, addUser, testApp, request, signIn } from '../support/app.ts';

type Who = 'public' | 'signed-in' | Permission;
const CII: Who = 'cii_cpar_settings';
const USERS: Who = 'manage_users';
const AUDIT: Who = 'view_audit_log';
const P = '/settings/cii-cpar/panels/:panelId{[0-9]+}';
const IMPORT = '/settings/cii-cpar/import/:token{[0-9a-f-]{36}}';

const TABLE: Record<string, Who> = {
  'GET /': 'signed-in',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /login': 'public',
  'POST /login': 'public',
  'POST /logout': 'public',
  'GET /static/:file': 'public',
  'GET /inbox': 'signed-in',
  'GET /inbox/:id{[0-9]{1,15}}': 'signed-in',
  'GET /inbox/unread-count': 'signed-in',
  'GET /settings/audit-log': AUDIT,
  'POST /settings/audit-log': AUDIT,
  'GET /settings/audit-log/patient-access': AUDIT,
  'POST /settings/audit-log/patient-access': AUDIT,
  'GET /settings/cii-cpar/import': CII,
  'POST /settings/cii-cpar/import': CII,
  [`GET ${IMPORT}`]: CII,
  [`POST ${IMPORT}/apply`]: CII,
  [`POST ${IMPORT}/cancel`]: CII,
  'GET /settings/cii-cpar/panels': CII,
  'POST /settings/cii-cpar/panels': CII,
  'GET /settings/cii-cpar/panels/new': CII,
  'GET /settings/cii-cpar/panels/name-length': CII,
  'GET /settings/cii-cpar/panels/recipient-note': CII,
  [`GET ${P}`]: CII,
  [`POST ${P}`]: CII,
  [`GET ${P}/edit`]: CII,
  [`POST ${P}/activation`]: CII,
  [`POST ${P}/deactivation`]: CII,
  [`POST ${P}/deletion`]: CII,
  [`GET ${P}/candidates`]: CII,
  [`POST ${P}/candidates/search`]: CII,
  [`GET ${P}/members`]: CII,
  [`POST ${P}/members`]: CII,
  [`POST ${P}/members/search`]: CII,
  [`POST ${P}/members.csv`]: CII,
  [`POST ${P}/members/:patientId{[0-9]{1,15}}/confirmation`]: CII,
  [`POST ${P}/members/:patientId{[0-9]{1,15}}/removal`]: CII,
  [`POST ${P}/confirmations`]: CII,
  [`POST ${P}/reconfirmations`]: CII,
  [`POST ${P}/removals`]: CII,
  [`POST ${P}/member-changes/:changeId{[0-9]{1,15}}/undo`]: CII,
  [`GET ${P}/registry`]: CII,
  [`POST ${P}/registry/:itemId{[0-9]+}`]: CII,
  [`GET ${P}/submission`]: CII,
  [`GET ${P}/submissions`]: CII,
  [`POST ${P}/submissions`]: CII,
  'GET /settings/cii-cpar/settings': CII,
  'POST /settings/cii-cpar/settings': CII,
  'GET /settings/cii-cpar/submissions': CII,
  'GET /settings/cii-cpar/submissions/:submissionId{[0-9]+}': CII,
  'GET /settings/practitioners': USERS,
  'GET /settings/practitioners/:practitionerId{[0-9]+}/edit': USERS,
  'POST /settings/practitioners/:practitionerId{[0-9]+}': USERS,
  'GET /settings/users': USERS,
  'GET /settings/users/new': USERS,
  'POST /settings/users': USERS,
  'POST /settings/users/:userId{[0-9]+}/disable': USERS,
  'POST /settings/users/:userId{[0-9]+}/enable': USERS,
  'POST /settings/users/:userId{[0-9]+}/password': USERS,
  'POST /settings/users/:userId{[0-9]+}/permissions': USERS,
};

const table = suite('permissions, from a table written by hand');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
const cookies: Record<string, string> = {};

table.before(async () => {
  db = await freshDb();
  await addUser(db, 'none');
  for (const p of [CII, USERS, AUDIT]) await addUser(db, p.replaceAll('_', '-'), [p as Permission]);
  ({ app } = testApp(db));
  for (const who of ['none', CII, USERS, AUDIT]) cookies[who] = await signIn(app, who.replaceAll('_', '-'));
});

/** A route's path with ids nobody has: the holder is let through to a 404 or a 422, nothing more. */
const concrete = (pattern: string) => pattern
  .replace(/:token\{[^}]*\}/, '00000000-0000-4000-8000-000000000000')
  .replace(/:[A-Za-z]+(\{[^}]*\})?/g, '987654');

table('the table names every route the app serves, and nothing else', () => {
  const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
  assert.equal([...served].sort(), Object.keys(TABLE).sort());
});

table('each permission gets through exactly the routes the table gives it; everyone else gets 403', async () => {
  const wrong: string[] = [];
  for (const [route, who] of Object.entries(TABLE)) {
    if (who === 'public') continue;
    const [method, pattern] = route.split(' ') as ['GET' | 'POST', string];
    for (const user of ['none', CII, USERS, AUDIT]) {
      const res = await request(app, method, concrete(pattern), { cookie: cookies[user], form: {} });
      const allowed = who === 'signed-in' || who === user;
      const through = res.status !== 403 && !(res.status === 302 && res.headers.get('Location')?.startsWith('/login'));
      if (through !== allowed) wrong.push(`${route} as ${user}: ${res.status}`);
    }
  }
  assert.equal(wrong, []);
});

table('a refusal is audited with every column the trail promises', async () => {
  await request(app, 'GET', '/settings/users', { cookie: cookies[CII] });
  const row = (await db.execute("SELECT * FROM audit_log WHERE action = 'denied' ORDER BY id DESC LIMIT 1")).rows[0];
  const userId = Number((await db.execute("SELECT id FROM users WHERE username = 'cii-cpar-settings'")).rows[0].id);
  assert.equal({
    at: typeof row.at, atEdmonton: row.at_edmonton, user: [Number(row.user_id), row.username], permissions: row.permissions,
    action: row.action, route: row.route, requestId: typeof row.request_id, hash: String(row.hash).length, prev: String(row.prev_hash).length,
  }, {
    at: 'number', atEdmonton: '2026-11-10 12:00', user: [userId, 'cii-cpar-settings'], permissions: 'cii_cpar_settings',
    action: 'denied', route: 'GET /settings/users', requestId: 'string', hash: 64, prev: 64,
  });
});

table.run();
