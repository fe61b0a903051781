import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count } from '../support/app.ts';

const EXAMPLE = readFileSync(new URL('../../db/examples/clinic-import.json', import.meta.url), 'utf8');
const ORIGIN = 'http://localhost';

const importing = suite('Import page: upload, preview, apply once or cancel');
let db: Db;
let app: ReturnType<typeof testApp>['app'];

function upload(cookie: string, text: string, name = 'clinic.json') {
  const form = new FormData();
  form.set('file', new File([text], name, { type: 'application/json' }));
  return app.request(`${ORIGIN}/settings/cii-cpar/import`, { method: 'POST', headers: { Cookie: cookie, Origin: ORIGIN }, body: form, redirect: 'manual' });
}

const tokenOf = (res: Response) => res.headers.get('Location')!.split('/').at(-1)!;

importing.before.each(async () => {
  db = await freshDb();
  await addUser(db, 'physician');
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'jsmith', ['cii_cpar_settings']);
  ({ app } = testApp(db));
});

importing('only CII/CPAR settings may import', async () => {
  const cookie = await signIn(app, 'physician');
  assert.is((await request(app, 'GET', '/settings/cii-cpar/import', { cookie })).status, 403);
  assert.is((await upload(cookie, EXAMPLE)).status, 403);
  assert.is(await count(db, 'SELECT count(*) FROM import_previews'), 0);
});

importing('a preview says what would change and writes nothing; Apply imports all of it, once, audited with the patients', async () => {
  const cookie = await signIn(app, 'clerk');
  const uploaded = await upload(cookie, EXAMPLE);
  assert.is(uploaded.status, 303);
  const token = tokenOf(uploaded);
  const preview = await dom(await request(app, 'GET', `/settings/cii-cpar/import/${token}`, { cookie }));
  const summary = preview.querySelector('#import-summary')!.textContent ?? '';
  assert.match(summary, /Members added\s*40/);
  assert.match(summary, /New patients\s*40/);
  assert.is(preview.querySelectorAll('#preview-added tbody tr').length, 5, 'the first five rows');
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 0, 'nothing written before Apply');

  const applied = await request(app, 'POST', `/settings/cii-cpar/import/${token}/apply`, { cookie });
  assert.is(applied.status, 303);
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 40);
  const entry = (await db.execute("SELECT username, object_id, patient_count FROM audit_log WHERE object_type = 'import'")).rows;
  assert.equal(entry.map((r) => [r.username, r.object_id, Number(r.patient_count)]), [['clerk', 'clinic.json', 40]]);
  assert.is(await count(db, 'SELECT count(*) FROM import_previews WHERE content IS NOT NULL'), 0, 'the file is dropped');
  const done = await dom(await request(app, 'GET', `/settings/cii-cpar/import/${token}`, { cookie }));
  assert.match(done.querySelector('#import-applied')?.textContent ?? '', '40 members added');

  const again = await request(app, 'POST', `/settings/cii-cpar/import/${token}/apply`, { cookie });
  assert.is(again.status, 409);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'import'"), 1, 'a second Apply does nothing');
});

importing('a second file previews the changes row by row: members removed, dates and demographics changed', async () => {
  const cookie = await signIn(app, 'clerk');
  assert.is((await request(app, 'POST', `/settings/cii-cpar/import/${tokenOf(await upload(cookie, EXAMPLE))}/apply`, { cookie })).status, 303);
  const file = JSON.parse(EXAMPLE);
  const panel = file.panels.find((p: { members: unknown[] }) => p.members.length >= 2);
  const gone = panel.members.pop();
  panel.members[0].confirmedOn = '2026-11-01';
  file.patients[0].lastName = 'Renamed';
  const token = tokenOf(await upload(cookie, JSON.stringify(file), 'second.json'));
  const preview = await dom(await request(app, 'GET', `/settings/cii-cpar/import/${token}`, { cookie }));
  assert.is(preview.querySelectorAll('#preview-removed tbody tr').length, 1);
  assert.match(preview.querySelector('#preview-removed tbody tr')?.textContent ?? '', panel.name);
  assert.match(preview.querySelector('#preview-confirmations tbody tr')?.textContent ?? '', '2026-11-01');
  assert.match(preview.querySelector('#preview-demographics tbody tr')?.textContent ?? '', /Renamed.*family name/);
  assert.ok(gone);
  // Cancel: nothing written, the file dropped, Apply refused afterwards.
  assert.is((await request(app, 'POST', `/settings/cii-cpar/import/${token}/cancel`, { cookie })).status, 303);
  assert.is((await request(app, 'POST', `/settings/cii-cpar/import/${token}/apply`, { cookie })).status, 409);
  assert.is(await count(db, "SELECT count(*) FROM patients WHERE last_name = 'Renamed'"), 0);
  // Someone else's preview is answered like a missing one.
  const other = tokenOf(await upload(cookie, JSON.stringify(file), 'third.json'));
  const jsmith = await signIn(app, 'jsmith');
  assert.is((await request(app, 'GET', `/settings/cii-cpar/import/${other}`, { cookie: jsmith })).status, 404);
  assert.is((await request(app, 'POST', `/settings/cii-cpar/import/${other}/apply`, { cookie: jsmith })).status, 404);
});

importing('a file that is not JSON, or breaks a rule, is refused with where, and nothing is kept', async () => {
  const cookie = await signIn(app, 'clerk');
  const broken = await upload(cookie, '{"patients": [');
  assert.is(broken.status, 422);
  assert.match((await dom(broken)).querySelector('#import-problems')?.textContent ?? '', 'not valid JSON');
  const file = JSON.parse(EXAMPLE);
  file.patients[3].birthDate = '1980-02-30';
  const refused = await upload(cookie, JSON.stringify(file));
  assert.is(refused.status, 422);
  assert.match((await dom(refused)).querySelector('#import-problems')?.textContent ?? '', '$.patients[3].birthDate');
  assert.is(await count(db, 'SELECT count(*) FROM import_previews'), 0);
  assert.is((await upload(cookie, '')).status, 422, 'an empty upload');
});

importing('the upload has its own limit: past the 1 MB of every form, refused past 20 MB with 413', async () => {
  const cookie = await signIn(app, 'clerk');
  const roomy = await upload(cookie, `{"patients": []${' '.repeat(1_500_000)}}`);
  assert.is(roomy.status, 303, 'a 1.5 MB file is read');
  const huge = await upload(cookie, `{"patients": []${' '.repeat(21 * 1024 * 1024)}}`);
  assert.is(huge.status, 413);
  assert.is(await count(db, 'SELECT count(*) FROM import_previews'), 1);
});

importing.run();
