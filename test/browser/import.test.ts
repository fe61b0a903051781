// Each import path of the Import page end to end in Chromium, as the portal runs it (the work
// on the importing thread): choose the file(s), see the preview, apply, find the clinic in the
// portal. The JSON extract, a FHIR Bundle, and Bulk Data NDJSON files chosen together.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { openDatabase, type Db } from '../../src/domain/database/db.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import { createApp } from '../../src/app.tsx';
import type { SourceFile } from '../../src/domain/import/fhir-files.ts';
import { startImportingThread, type ImportingThread } from '../../src/importer/pool.ts';
import { addUser, count } from '../support/app.ts';
import { axeViolations, inBrowser, signInThroughForm } from '../support/browser.ts';
import { CLINIC_BUNDLE, hl7Files } from '../support/fhir.ts';

const EXTRACT: SourceFile = { name: 'clinic-import.json', text: readFileSync(new URL('../../db/examples/clinic-import.json', import.meta.url), 'utf8') };
const BUNDLE: SourceFile = { name: 'clinic-import.fhir.json', text: readFileSync(CLINIC_BUNDLE, 'utf8') };

const browsing = suite('importing through the Import page in a browser');
let db: Db;
let thread: ImportingThread;
let app: ReturnType<typeof createApp>;

browsing.before.each(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'cpar-import-browser-')), 'test.db')}`;
  db = await openDatabase(url);
  await migrate(db);
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'jsmith', ['cii_cpar_settings']);
  const clock = new ManualClock(new Date());
  thread = startImportingThread({ databaseUrl: url }, clock);
  app = createApp({ db, clock, config: loadConfig({ NODE_ENV: 'test' }), importer: thread });
});
browsing.after.each(async () => {
  await thread.close();
  db.close();
});

/** Chooses the files on the Import page and asks for the preview. */
async function choose(page: Page, base: string, files: SourceFile[]) {
  await page.goto(`${base}/settings/cii-cpar/import`);
  assert.equal(await axeViolations(page), [], 'the Import page');
  await page.setInputFiles('#import-file', files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: Buffer.from(f.text) })));
  await page.click('#import-form button[type=submit]');
}

/** The preview: its counts, then Apply, then the applied notice. */
async function previewAndApply(page: Page, expect: RegExp) {
  await page.waitForSelector('#import-summary');
  assert.match(await page.locator('#import-summary').innerText(), expect);
  assert.equal(await axeViolations(page), [], 'the preview');
  await page.locator('button', { hasText: 'Apply the import' }).first().click();
  await page.waitForSelector('#import-applied');
  assert.equal(await axeViolations(page), [], 'the applied import');
  return page.locator('#import-applied').innerText();
}

/** The panel on the Panels page, and one of its members on its members page. */
async function findInPortal(page: Page, base: string, panel: string, member: string) {
  await page.goto(`${base}/settings/cii-cpar/panels`);
  await Promise.all([page.waitForURL(/\/panels\/\d+$/), page.locator('a', { hasText: panel }).first().click()]);
  await page.goto(`${page.url()}/members`);
  assert.match(await page.locator('main').innerText(), member);
}

browsing('the JSON extract: preview, apply, and the panels and patients are in the portal', async () => {
  await inBrowser(app, async ({ page, base }) => {
    await signInThroughForm(page, base, 'clerk', '/settings/cii-cpar/submissions');
    await choose(page, base, [EXTRACT]);
    assert.match(await previewAndApply(page, /New patients\s*40/), '40 members added');
    await findInPortal(page, base, 'Dr. Lee — Main St', 'Doe, Jan');
  });
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 40);
});

browsing('a FHIR Bundle: read as FHIR, applied, and the same clinic is in the portal', async () => {
  await inBrowser(app, async ({ page, base }) => {
    await signInThroughForm(page, base, 'clerk', '/settings/cii-cpar/submissions');
    await choose(page, base, [BUNDLE]);
    await page.waitForSelector('#import-fhir');
    assert.match(await previewAndApply(page, /New patients\s*40/), '40 patients added');
    await findInPortal(page, base, 'Dr. Lee — Main St', 'Doe, Jan');
  });
});

browsing('Bulk Data NDJSON files chosen together: a problem is shown by file and line first, then the corrected files import', async () => {
  const broken = hl7Files().map((f) => (f.name === 'Patient.ndjson' ? { ...f, text: f.text.replace(/"birthDate":"[^"]*"/, '"birthDate":"1974"') } : f));
  await inBrowser(app, async ({ page, base, errors }) => {
    await signInThroughForm(page, base, 'clerk', '/settings/cii-cpar/submissions');
    await choose(page, base, broken);
    await page.waitForSelector('#import-problems');
    assert.match(await page.locator('#import-problems').innerText(), 'Patient.ndjson line 1: Patient.birthDate');
    assert.equal(await axeViolations(page), [], 'the problems');
    assert.is(await count(db, 'SELECT count(*) FROM import_previews'), 0, 'nothing kept');
    // The refused upload answers 422 by design; Chromium logs that status, and nothing else.
    assert.equal(errors.splice(0).map((e) => /status of (\d+)/.exec(e)?.[1] ?? e), ['422']);

    await choose(page, base, hl7Files());
    assert.match(await page.locator('#import-skipped').innerText(), /Observation 2/);
    assert.match(await previewAndApply(page, /New patients\s*4/), '3 members added');
    await findInPortal(page, base, 'Dr. Careful family practice', 'Chalmers, Peter');
  });
});

browsing.run();
