// The Submissions and Registry feedback pages on a phone (390×844): no sideways scrolling, and
// every button in reach — the rows become cards under 600 px.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { addPanel, addSubmission, addUser, freshDb, testApp } from '../support/app.ts';
import { inBrowser, signInThroughForm } from '../support/browser.ts';
import { addClinicPanel, addRegistryAnswer } from '../support/clinic.ts';

const SUBMISSIONS = '/settings/cii-cpar/submissions';

test('at 390×844 the Submissions page does not scroll sideways and Submit is within the viewport', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const long = await addPanel(db, `Dr. Rafael Delgado – Family Medicine Panel – Riverbend Family Health Centre, ${'Suite 210, '.repeat(12)}`, { number: 'PNL-LONG' });
  await addSubmission(db, long, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 230,
    briefError: 'The panel name is longer than 255 characters (288).' });
  const queued = await addPanel(db, 'Queued Clinic', { number: 'PNL-Q' });
  await addSubmission(db, queued, { status: 'Queued', createdAt: new Date().toISOString() });
  await addPanel(db, 'Never Sent Clinic', { number: 'PNL-NEW' });

  const { app } = testApp(db, new ManualClock(new Date()));
  try {
    await inBrowser(app, async ({ page, base }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await signInThroughForm(page, base, 'clerk', SUBMISSIONS);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the page is ${width} px wide`);
      const buttons = page.locator('#submissions button[type=submit]');
      assert.is(await buttons.count(), 2);
      for (let i = 0; i < 2; i++) {
        const box = (await buttons.nth(i).boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= 390, `Submit ${i} spans ${box.x}–${box.x + box.width}`);
      }
      // Labelled cells: a card still says what its numbers are.
      const label = await page.evaluate((id) => getComputedStyle(document.querySelector(`#panel-${id} td.patients`)!, '::before').content, long);
      assert.is(label, '"Patients "');
      await buttons.first().click();
      await page.locator(`#panel-${long} button:has-text("Submit anyway")`).click();
      await page.waitForFunction((id) => document.querySelector(`#panel-${id} td.status`)?.textContent?.trim() === 'Queued', long);
      const after = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(after <= 390, `after Submit the page is ${after} px wide`);
    });
  } finally {
    db.close();
  }
});

test('at 390×844 the Registry feedback page does not scroll, even inside its worklists, and every action is within the viewport', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const panel = await addClinicPanel(db, { name: 'Dr. Fed – Riverbend Family Health Centre', patients: 3 });
  await addRegistryAnswer(db, panel.panelId, { createdAt: '2026-10-15T21:00:00-06:00', patientCount: 3, counted: 2, exceptions: [
    { patientId: panel.patientIds[0], kind: 'mismatch', detail: { fields: [{ field: 'lastName', clinic: 'Testperson-Longname', registry: 'Testpersson-Longname' }] } },
    { patientId: panel.patientIds[1], kind: 'conflict', detail: { provider: 'Dr. Somebody Elsewhere-Farther', clinic: 'Northgate Health Centre and Walk-in Clinic', confirmedOn: '2025-02-02' } },
  ] });
  const { app } = testApp(db, new ManualClock(new Date()));
  try {
    await inBrowser(app, async ({ page, base }) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await signInThroughForm(page, base, 'clerk', SUBMISSIONS);
      await page.goto(`${base}/settings/cii-cpar/panels/${panel.panelId}/registry`);
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth,
        ...[...document.querySelectorAll('.table-scroll')].map((r) => r.scrollWidth - r.clientWidth)]);
      assert.equal(widths, [390, 0, 0], 'the page at 390 px, and nothing to scroll inside either worklist');
      const buttons = page.locator('table.feedback button');
      assert.ok(await buttons.count() >= 5);
      for (let i = 0; i < await buttons.count(); i++) {
        if (!(await buttons.nth(i).isVisible())) continue; // the removal's confirmation, folded
        const box = (await buttons.nth(i).boundingBox())!;
        assert.ok(box.x >= 0 && box.x + box.width <= 390, `button ${i} spans ${box.x}–${box.x + box.width}`);
      }
      const label = await page.evaluate(() => getComputedStyle(document.querySelector('#conflicts td[data-label]')!, '::before').content);
      assert.is(label, '"Also attached to"');
    });
  } finally {
    db.close();
  }
});

test.run();
