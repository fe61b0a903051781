// A CSV panel list imported in a real browser: upload, correct the guessed mapping, answer the
// date question the file leaves open, preview (with the removals), apply. Every step axe-clean.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { importClinicalRecord } from '../../src/domain/import/import.ts';
import { addUser, count, freshDb, testApp } from '../support/app.ts';
import { axeViolations, inBrowser, signInThroughForm } from '../support/browser.ts';

const EXAMPLE = JSON.parse(readFileSync(new URL('../../db/examples/clinic-import.json', import.meta.url), 'utf8'));
const AMBIGUOUS = fileURLToPath(new URL('../fixtures/csv/ambiguous-dates.csv', import.meta.url));

test('a clerk uploads a CSV, corrects a column, says the dates are day first, previews and applies', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  await addUser(db, 'jsmith');
  const clock = new ManualClock(new Date());
  assert.ok((await importClinicalRecord(db, clock, EXAMPLE)).ok);
  const { app } = testApp(db, clock);
  try {
    await inBrowser(app, async ({ page, base, errors }) => {
      await signInThroughForm(page, base, 'clerk', '/settings/cii-cpar/submissions');
      await page.goto(`${base}/settings/cii-cpar/import`);
      await page.setInputFiles('#import-file', AMBIGUOUS);
      await Promise.all([page.waitForURL(/\/import\/csv\/[0-9a-f-]{36}$/), page.click('#import-form button[type=submit]')]);
      assert.is(await page.locator('#map-provider').inputValue(), 'Physician', 'the guess is shown');
      assert.is(await page.locator('#map-confirmedOn').inputValue(), '', 'a column it could not name');
      assert.match(await page.locator('#csv-dates legend').textContent() ?? '', 'How are the dates in');
      assert.equal(await axeViolations(page), []);

      // Sent as guessed: refused, with the problem named and the answer kept.
      await page.check('#csv-dates input[value="DD/MM/YYYY"]');
      await Promise.all([page.waitForSelector('#import-problems'), page.click('#csv-mapping button[type=submit]')]);
      assert.match(await page.locator('#import-problems').textContent() ?? '', 'Confirmation date: choose the column that holds it');
      assert.ok(await page.locator('#csv-dates input[value="DD/MM/YYYY"]').isChecked());
      assert.equal(await axeViolations(page), []);
      // Chromium logs the 422 of a refused form as a console error: expected here, and only here.
      assert.equal(errors.splice(0).map((e) => /status of 422/.test(e)), [true]);

      await page.selectOption('#map-confirmedOn', 'Attached Since');
      await Promise.all([page.waitForURL(/\/import\/[0-9a-f-]{36}$/), page.click('#csv-mapping button[type=submit]')]);
      const summary = await page.locator('#import-summary').textContent() ?? '';
      assert.match(summary, /Members added\s*3/);
      assert.match(summary, /Members removed\s*5/);
      assert.is(await page.locator('#preview-removed tbody tr').count(), 5);
      assert.equal(await axeViolations(page), []);
      assert.is(await count(db, "SELECT count(*) FROM patients WHERE uli = '910507920'"), 0, 'nothing written before Apply');

      await Promise.all([page.waitForSelector('#import-applied'), page.click('button:text-is("Apply the import") >> nth=0')]);
      assert.match(await page.locator('#import-applied').textContent() ?? '', '3 members added, 5 removed');
      assert.equal(await axeViolations(page), []);
      assert.is(await count(db, "SELECT count(*) FROM patients WHERE uli = '910507920' AND birth_date = '1975-03-04'"), 1);
    });
  } finally {
    db.close();
  }
});

test.run();
