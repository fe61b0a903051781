// The clerk's path from a Failed panel to Queued, in a real browser: follow the reason to the
// patients, confirm them in bulk, see the panel become Ready, Submit, see Queued.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { addSubmission, addUser, count, freshDb, testApp } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';
import { htmxReady, inBrowser, signInThroughForm } from '../support/browser.ts';

const SUBMISSIONS = '/settings/cii-cpar/submissions';

test('from a Failed panel to Ready and Queued, using only the portal', async () => {
  const db = await freshDb();
  const clerk = await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { panelId } = await addClinicPanel(db, { name: 'Unconfirmed Clinic', patients: 3, withoutConfirmation: 4, recipient: clerk });
  await addSubmission(db, panelId, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 7,
    briefError: '4 patients have no confirmation date for this panel.' });
  const { app } = testApp(db, new ManualClock(new Date()));
  try {
    await inBrowser(app, async ({ page, base }) => {
      await signInThroughForm(page, base, 'clerk', SUBMISSIONS);

      // The row says the panel is not ready and why; the reason links to the patients to fix.
      const reason = page.locator(`#panel-${panelId} [data-reason=no_confirmation_date] a`);
      assert.is((await reason.innerText()).trim(), '4 patients have no confirmation date for this panel.');
      await Promise.all([page.waitForURL(/\/members\?problem=no_confirmation_date$/), reason.click()]);
      await htmxReady(page);
      assert.is(await page.locator('#members-table tbody tr').count(), 4, 'only the four unconfirmed patients');

      // Select them all and confirm in bulk.
      for (const box of await page.locator('#members-table tbody input[name=patient_id]').all()) await box.check();
      await page.locator('#bulk-confirm button[type=submit]:not([name]):not([formaction])').click();
      await page.locator('#members-summary .badge-ready').waitFor();
      assert.match(await page.locator('#members').innerText(), /4 patients confirmed/);
      assert.is(await count(db, 'SELECT count(*) FROM panel_members WHERE panel_id = ? AND confirmed_on IS NULL', [panelId]), 0);

      // Back on Submissions: Ready, and Submit queues it in place.
      await page.goto(`${base}${SUBMISSIONS}`);
      await htmxReady(page);
      const row = page.locator(`#panel-${panelId}`);
      assert.is(await row.locator('.readiness .badge-ready').count(), 1, 'the panel is Ready');
      await row.locator('td.actions button[type=submit]').click();
      await page.waitForFunction((id) => document.querySelector(`#panel-${id} td.status`)?.textContent?.trim() === 'Queued', panelId);
      assert.is(await row.locator('td.actions button').count(), 0);
      assert.is(await count(db, "SELECT count(*) FROM submissions WHERE panel_id = ? AND status = 'Queued'", [panelId]), 1);

    });
  } finally {
    db.close();
  }
});

test.run();
