import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import type { SourceFile } from '../../src/domain/import/fhir-files.ts';
import { freshDb, addUser, testApp, request, signIn, dom, count } from '../support/app.ts';
import { CLINIC_BUNDLE, clinicView, hl7Files } from '../support/fhir.ts';

const EXTRACT = readFileSync(new URL('../../db/examples/clinic-import.json', import.meta.url), 'utf8');
const BUNDLE: SourceFile = { name: 'clinic-import.fhir.json', text: readFileSync(CLINIC_BUNDLE, 'utf8') };
const ORIGIN = 'http://localhost';

const fhir = suite('Import page: FHIR R4 Bundle and Bulk Data NDJSON');
let db: Db;
let app: ReturnType<typeof testApp>['app'];
let cookie: string;

/** One upload of one or several files, as `<input type=file multiple>` sends them. */
function upload(files: SourceFile[]) {
  const form = new FormData();
  for (const f of files) form.append('file', new File([f.text], f.name, { type: 'application/octet-stream' }));
  return app.request(`${ORIGIN}/settings/cii-cpar/import`, { method: 'POST', headers: { Cookie: cookie, Origin: ORIGIN }, body: form, redirect: 'manual' });
}
const tokenOf = (res: Response) => res.headers.get('Location')!.split('/').at(-1)!;
const previewOf = async (token: string) => dom(await request(app, 'GET', `/settings/cii-cpar/import/${token}`, { cookie }));
const apply = (token: string) => request(app, 'POST', `/settings/cii-cpar/import/${token}/apply`, { cookie });

fhir.before.each(async () => {
  db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'jsmith', ['cii_cpar_settings']);
  ({ app } = testApp(db));
  cookie = await signIn(app, 'clerk');
});

fhir('a FHIR Bundle is previewed, then applied all at once, audited with the file name and its patients', async () => {
  const uploaded = await upload([BUNDLE]);
  assert.is(uploaded.status, 303);
  const token = tokenOf(uploaded);
  const preview = await previewOf(token);
  assert.match(preview.querySelector('#import-summary')?.textContent ?? '', /New patients\s*40/);
  assert.ok(preview.querySelector('#import-fhir'), 'the page says the files were read as FHIR');
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 0, 'nothing written before Apply');
  assert.is((await apply(token)).status, 303);
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 40);
  const entry = (await db.execute("SELECT object_id, patient_count FROM audit_log WHERE object_type = 'import'")).rows;
  assert.equal(entry.map((r) => [r.object_id, Number(r.patient_count)]), [['clinic-import.fhir.json', 40]]);
  assert.is(await count(db, "SELECT count(*) FROM import_previews WHERE format = 'fhir' AND content IS NULL"), 1, 'the files are dropped');
});

fhir('Bulk Data NDJSON files in one upload import together; the resources not read are counted on the preview', async () => {
  const token = tokenOf(await upload(hl7Files()));
  const preview = await previewOf(token);
  assert.match(preview.querySelector('#import-summary')?.textContent ?? '', /New patients\s*4/);
  assert.match(preview.querySelector('#import-skipped')?.textContent ?? '', /Observation 2/);
  assert.is((await apply(token)).status, 303);
  assert.equal((await clinicView(db)).members, [
    'Dr. Careful family practice | 930000017 | 2014-10-08',
    'Dr. Careful family practice | 930000025 | 2015-08-06',
    'Dr. Careful family practice | 930000033 | 2015-08-06',
  ]);
  const stored = (await db.execute('SELECT file_name FROM import_previews')).rows[0];
  assert.is(stored.file_name, hl7Files().map((f) => f.name).join(', '));
});

fhir("a Bundle's Group names no failure recipient: the preview shows the panels unchanged, as Apply leaves them", async () => {
  const form = new FormData();
  form.set('file', new File([EXTRACT], 'clinic.json'));
  const first = await app.request(`${ORIGIN}/settings/cii-cpar/import`, { method: 'POST', headers: { Cookie: cookie, Origin: ORIGIN }, body: form, redirect: 'manual' });
  assert.is((await apply(tokenOf(first))).status, 303);
  const recipients = async () => (await db.execute(`SELECT p.panel_number, u.username FROM panels p LEFT JOIN users u ON u.id = p.failure_recipient_id
                                                     WHERE p.panel_number IS NOT NULL ORDER BY 1`)).rows.map((r) => `${r.panel_number} ${r.username}`);
  const before = await recipients();
  assert.ok(before.some((p) => p.endsWith(' jsmith')), 'the JSON extract gave panels a failure recipient');

  const token = tokenOf(await upload([BUNDLE]));
  const preview = await previewOf(token);
  // The five CPAR panels match by panel number and are unchanged; the walk-in panel has no
  // number, so its Group (keyed by its id) is a panel of its own (docs/import.md, Keys).
  assert.equal([...preview.querySelectorAll('#preview-panels tbody tr')].map((tr) => tr.textContent),
    ['Walk-in & Urgent CareNew']);
  assert.is((await apply(token)).status, 303);
  assert.equal(await recipients(), before, 'failure recipients kept');
});

fhir('a FHIR problem is shown by file, line and location, without its value; nothing is kept', async () => {
  const files = hl7Files().map((f) => (f.name === 'Patient.ndjson'
    ? { ...f, text: f.text.split('\n').map((line, i) => (i === 2 ? line.replace(/"birthDate":"[^"]*"/, '"birthDate":"1982-13-45"') : line)).join('\n') } : f));
  const refused = await upload(files);
  assert.is(refused.status, 422);
  const problems = (await dom(refused)).querySelector('#import-problems')?.textContent ?? '';
  assert.match(problems, 'Patient.ndjson line 3: Patient.birthDate');
  assert.not.match(problems, '1982-13-45');
  assert.is(await count(db, 'SELECT count(*) FROM import_previews'), 0);
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 0);
});

fhir('the FHIR files of one upload share the size limit', async () => {
  // Together 20 MB and 32 KB: within the request's limit (the form's overhead), past the files'.
  const big = { name: 'Observation.ndjson', text: `${' '.repeat(10 * 1024 * 1024 + 16 * 1024)}\n` };
  const res = await upload([big, { ...big, name: 'Other.ndjson' }]);
  assert.is(res.status, 413);
  assert.is(await count(db, 'SELECT count(*) FROM import_previews'), 0);
});

fhir.run();
