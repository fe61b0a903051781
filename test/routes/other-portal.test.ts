// Several portals on one database (README: how the portal grows past one process): what one
// portal writes — a sign-out, a disabled user, a revoked permission — is refused by every
// other portal on the very next request, though each reads the session on its own connection
// with statements prepared once (src/domain/database/prepared-read.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase } from '../../src/domain/database/db.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import { addPanel, addUser, request, signIn, testApp } from '../support/app.ts';

const other = suite('another portal on the same database');
const PAGE = '/settings/cii-cpar/submissions';

async function twoPortals() {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'cpar-two-portals-')), 'portal.db')}`;
  const dbHere = await openDatabase(url);
  await migrate(dbHere);
  const dbThere = await openDatabase(url);
  await addUser(dbHere, 'clerk', ['cii_cpar_settings']);
  const panelId = await addPanel(dbHere, 'North');
  const here = testApp(dbHere).app;
  const there = testApp(dbThere).app;
  const cookie = await signIn(here, 'clerk');
  assert.is((await request(here, 'GET', PAGE, { cookie })).status, 200);
  assert.is((await request(there, 'GET', PAGE, { cookie })).status, 200);
  const close = () => { dbHere.close(); dbThere.close(); };
  return { here, there, dbThere, cookie, panelId, close };
}

other('signed out on another portal: refused here on the very next request', async () => {
  const { here, there, cookie, close } = await twoPortals();
  assert.is((await request(there, 'POST', '/logout', { cookie })).status, 303);
  const res = await request(here, 'GET', PAGE, { cookie });
  assert.is(res.status, 302);
  assert.match(res.headers.get('Location') ?? '', '/login');
  close();
});

other('a user disabled on another portal is refused here on the very next request', async () => {
  const { here, dbThere, cookie, close } = await twoPortals();
  await dbThere.execute("UPDATE users SET disabled_at = 1 WHERE username = 'clerk'");
  assert.is((await request(here, 'GET', PAGE, { cookie })).status, 302);
  assert.is((await request(here, 'GET', '/inbox/unread-count', { cookie, htmx: true })).status, 401);
  close();
});

other('a permission revoked on another portal: 403 here on the very next request, the polled row too; granted again, 200', async () => {
  const { here, dbThere, cookie, panelId, close } = await twoPortals();
  const row = `/settings/cii-cpar/panels/${panelId}/submission`;
  const polled = await request(here, 'GET', row, { cookie, htmx: true });
  const etag = polled.headers.get('ETag')!;
  assert.ok(etag, 'the row has an ETag');
  assert.is((await request(here, 'GET', row, { cookie, htmx: true, headers: { 'If-None-Match': etag } })).status, 304);
  await dbThere.execute("DELETE FROM user_permissions WHERE permission = 'cii_cpar_settings'");
  assert.is((await request(here, 'GET', PAGE, { cookie })).status, 403);
  assert.is((await request(here, 'GET', row, { cookie, htmx: true, headers: { 'If-None-Match': etag } })).status, 403);
  await dbThere.execute(`INSERT INTO user_permissions (user_id, permission)
                         SELECT id, 'cii_cpar_settings' FROM users WHERE username = 'clerk'`);
  assert.is((await request(here, 'GET', PAGE, { cookie })).status, 200);
  close();
});

other.run();
