import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count } from '../support/app.ts';

const EXAMPLE = readFileSync(new URL('../../db/examples/clinic-import.json', import.meta.url), 'utf8');
const AMBIGUOUS = new Uint8Array(readFileSync(new URL('../fixtures/csv/ambiguous-dates.csv', import.meta.url)));
const EMR = readFileSync(new URL('../fixtures/csv/emr-panel-list.csv', import.meta.url));
const ORIGIN = 'http://localhost';

const test = suite('Import page: a CSV panel list is mapped, then previewed, then applied');
let db: Db;
let app: ReturnType<typeof testApp>['app'];

function upload(cookie: string, content: string | Uint8Array<ArrayBuffer>, name: string, origin: string | null = ORIGIN) {
  const form = new FormData();
  form.set('file', new File([content], name, { type: name.endsWith('.csv') ? 'text/csv' : 'application/json' }));
  const headers: Record<string, string> = { Cookie: cookie };
  if (origin) headers.Origin = origin;
  return app.request(`${ORIGIN}/settings/cii-cpar/import`, { method: 'POST', headers, body: form, redirect: 'manual' });
}
const tokenOf = (res: Response) => res.headers.get('Location')!.split('/').at(-1)!;
const mappingUrl = (token: string) => `/settings/cii-cpar/import/csv/${token}`;
const selected = (page: Document, field: string) => page.querySelector(`#map-${field} option[selected]`)?.getAttribute('value');

test.before.each(async () => {
  db = await freshDb();
  await addUser(db, 'physician');
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'jsmith', ['cii_cpar_settings']);
  ({ app } = testApp(db));
  const cookie = await signIn(app, 'clerk');
  const token = tokenOf(await upload(cookie, EXAMPLE, 'clinic.json'));
  assert.is((await request(app, 'POST', `/settings/cii-cpar/import/${token}/apply`, { cookie })).status, 303);
});

test('step 2 shows the guessed mapping as a form, the first rows, and asks the date format the file leaves open', async () => {
  const cookie = await signIn(app, 'clerk');
  const uploaded = await upload(cookie, AMBIGUOUS, 'panel.csv');
  assert.is(uploaded.status, 303);
  assert.match(uploaded.headers.get('Location')!, /\/settings\/cii-cpar\/import\/csv\/[0-9a-f-]{36}$/);
  const page = await dom(await request(app, 'GET', mappingUrl(tokenOf(uploaded)), { cookie }));
  assert.is(selected(page, 'uli'), 'ULI');
  assert.is(selected(page, 'provider'), 'Physician');
  assert.is(selected(page, 'confirmedOn'), '', 'a column it cannot name is left for the user');
  assert.is(page.querySelectorAll('#map-confirmedOn option').length, 11, '“not in the file” and each of the 10 columns');
  assert.ok(page.querySelector('#csv-dates input[value="DD/MM/YYYY"]'), 'the date question');
  assert.match(page.querySelector('#csv-dates legend')?.textContent ?? '', '“Birth Date”');
  assert.is(page.querySelectorAll('#csv-sample tbody tr').length, 3);
  assert.is(await count(db, 'SELECT count(*) FROM import_previews'), 1, 'only the JSON upload of the set-up');
});

test('a mapping left incomplete or a date question unanswered is refused with the choices kept; the corrected one previews, applies once, audited', async () => {
  const cookie = await signIn(app, 'clerk');
  const token = tokenOf(await upload(cookie, AMBIGUOUS, 'panel.csv'));
  const guessed = await request(app, 'POST', mappingUrl(token), { cookie, form: { 'map.uli': 'ULI', 'map.lastName': 'Surname', 'map.firstName': 'Given Name', 'map.birthDate': 'Birth Date', 'map.gender': 'Gender', 'map.provider': 'Physician', 'map.confirmedOn': '', 'map.lastVisit': 'Last Visit Date', 'map.status': 'Patient Status' } });
  assert.is(guessed.status, 422);
  const first = await dom(guessed);
  assert.match(first.querySelector('#import-problems')?.textContent ?? '', 'Confirmation date: choose the column that holds it');

  const corrected = { 'map.uli': 'ULI', 'map.lastName': 'Surname', 'map.firstName': 'Given Name', 'map.birthDate': 'Birth Date', 'map.gender': 'Gender', 'map.provider': 'Physician', 'map.confirmedOn': 'Attached Since', 'map.lastVisit': 'Last Visit Date', 'map.status': 'Patient Status' };
  const unanswered = await request(app, 'POST', mappingUrl(token), { cookie, form: corrected });
  assert.is(unanswered.status, 422);
  const second = await dom(unanswered);
  assert.match(second.querySelector('#import-problems')?.textContent ?? '', 'could be DD/MM/YYYY or MM/DD/YYYY: say which');
  assert.is(selected(second, 'confirmedOn'), 'Attached Since', 'the correction is kept');
  assert.ok(second.querySelector('#csv-dates input[value="MM/DD/YYYY"]'));
  assert.is(await count(db, 'SELECT count(*) FROM import_previews'), 1, 'no preview yet');

  const answered = await request(app, 'POST', mappingUrl(token), { cookie, form: { ...corrected, dates: 'DD/MM/YYYY' } });
  assert.is(answered.status, 303);
  const previewUrl = answered.headers.get('Location')!;
  assert.is(await count(db, 'SELECT count(*) FROM csv_uploads'), 0, 'the CSV is dropped once mapped');
  const preview = await dom(await request(app, 'GET', previewUrl, { cookie }));
  const summary = preview.querySelector('#import-summary')?.textContent ?? '';
  assert.match(summary, /Members added\s*3/);
  assert.match(summary, /Members removed\s*5/, 'the file is the whole panel: the others are removals');
  assert.match(preview.querySelector('h1')?.textContent ?? '', 'panel.csv');
  assert.is(await count(db, "SELECT count(*) FROM patients WHERE uli = '910507920'"), 0, 'nothing written before Apply');

  const apply = `${previewUrl}/apply`;
  assert.is((await request(app, 'POST', apply, { cookie })).status, 303);
  assert.is(await count(db, "SELECT count(*) FROM patients WHERE uli = '910507920' AND birth_date = '1975-03-04'"), 1, 'read day first');
  const audit = (await db.execute("SELECT object_id, patient_count FROM audit_log WHERE object_type = 'import' ORDER BY id DESC LIMIT 1")).rows[0];
  assert.equal([audit.object_id, Number(audit.patient_count)], ['panel.csv', 8], '3 added and 5 removed');
  assert.is((await request(app, 'POST', apply, { cookie })).status, 409, 'a second Apply is refused');
});

test('problems are listed by line and column without patient data; a CSV that cannot be read is refused at upload', async () => {
  const cookie = await signIn(app, 'clerk');
  const broken = EMR.toString('utf8').replace('12/04/1988', '31/04/1988').replace('Dr. Felix Brandt', 'Dr. Nobody');
  const token = tokenOf(await upload(cookie, broken, 'panel.csv'));
  const refused = await request(app, 'POST', mappingUrl(token), { cookie, form: {} });
  assert.is(refused.status, 422);
  const text = (await dom(refused)).querySelector('#import-problems')?.textContent ?? '';
  assert.match(text, 'line 2, "DOB": not a real date');
  assert.match(text, 'line 12, "Primary Provider": no panel number, Practitioner ID or practitioner name in the portal matches this provider');
  assert.not.match(text, /Haddad|1988|Mwangi/);
  const unreadable = await upload(cookie, 'PHN,Last\n123,"Secret\n', 'bad.csv');
  assert.is(unreadable.status, 422);
  assert.match((await dom(unreadable)).querySelector('#import-problems')?.textContent ?? '', 'line 2: a quoted field is not closed');
  assert.is(await count(db, 'SELECT count(*) FROM csv_uploads'), 1, 'only the readable one waits');
});

test('the preview names each blank value by its line and column in the CSV, not by a path in the extract it became', async () => {
  const cookie = await signIn(app, 'clerk');
  const token = tokenOf(await upload(cookie, EMR, 'panel.csv'));
  const mapped = await request(app, 'POST', mappingUrl(token), { cookie, form: {} });
  assert.is(mapped.status, 303);
  const preview = await dom(await request(app, 'GET', mapped.headers.get('Location')!, { cookie }));
  const warnings = [...preview.querySelectorAll('#import-warnings li')].map((li) => li.textContent?.trim());
  assert.equal(warnings, ['line 15, "Confirmation Date"']);
});

test('cancel drops the CSV; someone else’s upload is answered like a missing one', async () => {
  const cookie = await signIn(app, 'clerk');
  const token = tokenOf(await upload(cookie, EMR, 'panel.csv'));
  const jsmith = await signIn(app, 'jsmith');
  assert.is((await request(app, 'GET', mappingUrl(token), { cookie: jsmith })).status, 404);
  assert.is((await request(app, 'POST', mappingUrl(token), { cookie: jsmith, form: {} })).status, 404);
  assert.is((await request(app, 'POST', `${mappingUrl(token)}/cancel`, { cookie: jsmith })).status, 404);
  assert.is((await request(app, 'POST', `${mappingUrl(token)}/cancel`, { cookie })).status, 303);
  assert.is(await count(db, 'SELECT count(*) FROM csv_uploads'), 0);
  assert.is((await request(app, 'GET', mappingUrl(token), { cookie })).status, 404);
});

test('only CII/CPAR settings may map a CSV, and only from the portal’s own pages', async () => {
  const cookie = await signIn(app, 'clerk');
  const token = tokenOf(await upload(cookie, EMR, 'panel.csv'));
  const physician = await signIn(app, 'physician');
  assert.is((await upload(physician, EMR, 'panel.csv')).status, 403);
  assert.is((await request(app, 'GET', mappingUrl(token), { cookie: physician })).status, 403);
  assert.is((await request(app, 'POST', mappingUrl(token), { cookie: physician, form: {} })).status, 403);
  const crossSite = await request(app, 'POST', mappingUrl(token), { cookie, form: {}, origin: 'https://evil.example' });
  assert.is(crossSite.status, 403);
  assert.is((await upload(cookie, EMR, 'again.csv', 'https://evil.example')).status, 403);
  assert.is(await count(db, 'SELECT count(*) FROM csv_uploads'), 1);
  assert.is(await count(db, 'SELECT count(*) FROM import_previews'), 1);
});

test.run();
