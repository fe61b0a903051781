// The Import page's work on the importing thread (what the portal does for a database file or
// server): a page asked for while a clinic-sized file is applied is answered before the apply
// ends — on the main thread the apply held the event loop, and the page waited for it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { openDatabase, type Db } from '../../src/domain/database/db.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import { createApp } from '../../src/app.tsx';
import { startImportingThread, type ImportingThread } from '../../src/importer/pool.ts';
import { addUser, count, signIn } from '../support/app.ts';
import { close, listen } from '../support/browser.ts';
import { clinicExtract } from '../support/clinic-extract.ts';

const threaded = suite('imports on their own thread');
const clock = new ManualClock('2026-11-10T12:00:00-07:00');
let db: Db;
let thread: ImportingThread;
let base: string;
let cookie: string;
let stop: () => Promise<void>;

threaded.before.each(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'cpar-importer-')), 'test.db')}`;
  db = await openDatabase(url);
  await migrate(db);
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  thread = startImportingThread({ databaseUrl: url }, clock);
  const app = createApp({ db, clock, config: loadConfig({ NODE_ENV: 'test' }), importer: thread });
  cookie = await signIn(app, 'clerk');
  const listening = await listen(app);
  base = listening.base;
  stop = () => close(listening.server);
});
threaded.after.each(async () => {
  await stop();
  await thread.close();
  db.close();
});

async function upload(text: string, name: string): Promise<string> {
  const form = new FormData();
  form.set('file', new File([text], name));
  const res = await fetch(`${base}/settings/cii-cpar/import`, { method: 'POST', headers: { cookie, origin: base }, body: form, redirect: 'manual' });
  assert.is(res.status, 303, `upload answered ${res.status}: ${res.status === 303 ? "" : (await res.text()).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(-600)}`);
  return res.headers.get('Location')!;
}

threaded('a page asked for during the apply of 10,000 patients is answered before the apply ends', async () => {
  const preview = await upload(clinicExtract(10_000), 'clinic.json');
  const finished: string[] = [];
  const applying = fetch(`${base}${preview}/apply`, { method: 'POST', headers: { cookie, origin: base }, redirect: 'manual' })
    .then((res) => finished.push(`apply ${res.status}`));
  // The apply has reached the server (and, on the main thread, would be holding it) by now.
  await new Promise((resolve) => setTimeout(resolve, 150));
  const page = await fetch(`${base}/inbox/unread-count`, { headers: { cookie } }).then((res) => finished.push(`page ${res.status}`));
  await Promise.all([applying, page]);
  assert.equal(finished, ['page 200', 'apply 303']);
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 10_000);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'import' AND patient_count = 10000"), 1);
});

threaded('the preview and its problems come from the thread as they do in place', async () => {
  const preview = await upload(clinicExtract(50), 'small.json');
  const page = await (await fetch(`${base}${preview}`, { headers: { cookie } })).text();
  assert.match(page, /New patients<\/dt><dd>50</);
  const form = new FormData();
  form.set('file', new File(['{"patients": ['], 'broken.json'));
  const refused = await fetch(`${base}/settings/cii-cpar/import`, { method: 'POST', headers: { cookie, origin: base }, body: form });
  assert.is(refused.status, 422);
  assert.match(await refused.text(), 'not valid JSON');
  assert.ok(thread.running(), 'the work ran on the thread');
});

threaded('a CSV panel list is translated into its preview on the thread', async () => {
  await addUser(db, 'jsmith', ['cii_cpar_settings']); // the example clinic's failure recipient
  const example = readFileSync(new URL('../../db/examples/clinic-import.json', import.meta.url), 'utf8');
  const applied = await fetch(`${base}${await upload(example, 'clinic.json')}/apply`, { method: 'POST', headers: { cookie, origin: base }, redirect: 'manual' });
  assert.is(applied.status, 303);
  await thread.close(); // the next request starts a thread again: it must be the one that maps
  const mapping = await upload(readFileSync(new URL('../fixtures/csv/ambiguous-dates.csv', import.meta.url), 'utf8'), 'panel.csv');
  const form = new URLSearchParams({ 'map.uli': 'ULI', 'map.lastName': 'Surname', 'map.firstName': 'Given Name', 'map.birthDate': 'Birth Date',
    'map.gender': 'Gender', 'map.provider': 'Physician', 'map.confirmedOn': 'Attached Since', 'map.lastVisit': 'Last Visit Date',
    'map.status': 'Patient Status', dates: 'DD/MM/YYYY' });
  const mapped = await fetch(`${base}${mapping}`, { method: 'POST', headers: { cookie, origin: base }, body: form, redirect: 'manual' });
  assert.is(mapped.status, 303);
  assert.ok(thread.running(), 'the mapping ran on the thread');
  const preview = await (await fetch(`${base}${mapped.headers.get('Location')}`, { headers: { cookie } })).text();
  assert.match(preview, /Members added<\/dt><dd>3</);
});

threaded('closing the thread (a graceful shutdown) lets an apply under way end as it would', async () => {
  const preview = await upload(clinicExtract(2_000, 2), 'clinic.json');
  const applying = fetch(`${base}${preview}/apply`, { method: 'POST', headers: { cookie, origin: base }, redirect: 'manual' });
  await new Promise((resolve) => setTimeout(resolve, 100));
  await thread.close();
  assert.is((await applying).status, 303);
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 2_000);
  assert.not.ok(thread.running());
});

threaded.run();
