// Exports are POSTs from the portal's own pages: a cross-site page cannot make a signed-in
// clerk's browser download the members and have it logged as the clerk's export.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count, ORIGIN } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

const exports = suite('exports');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let cookie: string;
let panelId: number;
exports.before(async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  ({ app } = testApp(db));
  cookie = await signIn(app, 'clerk');
  ({ panelId } = await addClinicPanel(db, { name: 'Main', patients: 4 }));
});

const csvPath = () => `/settings/cii-cpar/panels/${panelId}/members.csv`;
const exported = () => count(db, "SELECT count(*) FROM audit_log WHERE action = 'export'");

exports('the members page and the panel page export with a POST form, not a link', async () => {
  for (const path of [`/settings/cii-cpar/panels/${panelId}/members`, `/settings/cii-cpar/panels/${panelId}`]) {
    const doc = await dom(await request(app, 'GET', path, { cookie }));
    assert.ok(doc.querySelector(`form[method=post][action="${csvPath()}"] button[type=submit]`), path);
    assert.not.ok(doc.querySelector(`a[href="${csvPath()}"]`), path);
  }
});

exports('a same-origin POST downloads the CSV and is audited', async () => {
  const before = await exported();
  const res = await request(app, 'POST', csvPath(), { cookie, headers: { 'Sec-Fetch-Site': 'same-origin' } });
  assert.is(res.status, 200);
  assert.is(res.headers.get('Content-Type'), 'text/csv; charset=utf-8');
  assert.is((await res.text()).split('\r\n').length, 1 + 4 + 1);
  assert.is(await exported(), before + 1);
});

exports('a cross-site request is refused with 403 and no export is logged, whatever its method and Origin', async () => {
  const before = await exported();
  const attempts = [
    request(app, 'POST', csvPath(), { cookie, headers: { 'Sec-Fetch-Site': 'cross-site' } }), // Origin claims this site
    request(app, 'POST', csvPath(), { cookie, origin: 'https://evil.example', headers: { 'Sec-Fetch-Site': 'cross-site' } }),
    request(app, 'POST', csvPath(), { cookie, origin: null, headers: { 'Sec-Fetch-Site': 'cross-site' } }),
  ];
  for (const res of await Promise.all(attempts)) {
    assert.is(res.status, 403);
    assert.not.match(res.headers.get('Content-Type') ?? '', 'csv');
    assert.not.match(await res.text(), 'Testperson');
  }
  assert.is(await exported(), before);
});

exports('a top-level GET (what a cross-site link or redirect makes) exports nothing', async () => {
  const before = await exported();
  for (const site of ['cross-site', 'same-origin']) {
    const res = await app.request(`${ORIGIN}${csvPath()}`, { headers: { Cookie: cookie, 'Sec-Fetch-Site': site } });
    assert.ok(res.status >= 400, String(res.status));
    assert.not.match(await res.text(), 'Testperson');
  }
  assert.is(await exported(), before);
});

exports.run();
