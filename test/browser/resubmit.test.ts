// One real-browser test (Debian's chromium driven by playwright-core): a clerk resubmits a
// Failed panel and htmx swaps that panel's row in place, without reloading the page.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { PASSWORD, addPanel, addSubmission, addUser, count, freshDb, testApp } from '../support/app.ts';
import { close, htmxReady, inBrowser, listen, openBrowser, signInThroughForm } from '../support/browser.ts';

const SUBMISSIONS = '/settings/cii-cpar/submissions';

test('a clerk resubmits a Failed panel: its row turns Queued in place, no reload', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const failed = await addPanel(db, 'Failing Clinic', { number: 'PNL-FAIL' });
  await addSubmission(db, failed, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00',
    briefError: 'The panel has no patients assigned.' });
  const submitted = await addPanel(db, 'Fine Clinic', { number: 'PNL-FINE' });
  await addSubmission(db, submitted, { status: 'Submitted', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 42 });

  // The session cookie's Expires comes from the app's clock, and the browser judges it by the
  // real one: testApp's default date (2026-11-10) would hand out an already expired cookie.
  const { app } = testApp(db, new ManualClock(new Date()));
  try {
    await inBrowser(app, async ({ page, base }) => {
      await signInThroughForm(page, base, 'clerk', SUBMISSIONS);
      assert.is(page.url(), `${base}${SUBMISSIONS}`);

      const row = page.locator(`#panel-${failed}`);
      assert.is((await row.locator('td.status').innerText()).trim(), 'Failed');
      const submit = row.locator('button[type=submit]');
      assert.is(await submit.count(), 1, 'the Failed row has a Submit button');
      assert.is(await row.getAttribute('hx-trigger'), null, 'a Failed row does not poll');

      await page.evaluate(() => { (window as unknown as { __noReload?: boolean }).__noReload = true; });
      const urlBefore = page.url();
      await submit.click();
      // Not ready (no patients): the row asks first, with the reasons, and queues nothing yet.
      await row.locator('.submit-check').waitFor();
      assert.match(await row.locator('.submit-check').innerText(), /This panel will fail:\s*The panel has no patients assigned\.\s*Fix these first, or submit anyway\./);
      assert.is(await page.evaluate(() => document.activeElement?.textContent), 'This panel will fail:', 'focus on the question');
      assert.is(await count(db, "SELECT COUNT(*) FROM submissions WHERE panel_id = ? AND status = 'Queued'", [failed]), 0);
      await row.locator('.submit-check a:text-is("Cancel")').click();
      await row.locator('button:text-is("Submit")').waitFor();
      await row.locator('button:text-is("Submit")').click();
      await row.locator('button:has-text("Submit anyway")').click();

      await page.waitForFunction((id) => {
        const cell = document.querySelector(`#panel-${id} td.status`);
        return cell?.textContent?.trim() === 'Queued';
      }, failed, { timeout: 5000 });

      assert.is(await row.locator('button[type=submit]').count(), 0, 'Submit is gone from the Queued row');
      assert.is(await row.getAttribute('hx-trigger'), 'every 10s', 'the Queued row polls');
      assert.is(await row.getAttribute('hx-get'), `/settings/cii-cpar/panels/${failed}/submission`);
      assert.match(await row.locator('td.actions').innerText(), /Will be sent/);
      assert.is(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload), true,
        'the page was not reloaded');
      assert.is(page.url(), urlBefore, 'the URL did not change');
      assert.match(await page.locator('#submit-status').textContent() ?? '', /“Failing Clinic” is queued: it will be sent/, 'screen readers hear it');
      assert.is(await page.evaluate((id) => document.activeElement?.closest('tr')?.id, failed), `panel-${failed}`, 'focus stays on the row');
      assert.is(await page.locator('#submissions tbody tr').count(), 2, 'still one row per panel');
      assert.is((await page.locator(`#panel-${submitted} td.status`).innerText()).trim(), 'Submitted');

      assert.is(await count(db, "SELECT COUNT(*) FROM submissions WHERE panel_id = ? AND status = 'Queued'", [failed]), 1);
      assert.is(await count(db, "SELECT COUNT(*) FROM submissions WHERE panel_id = ? AND status = 'Queued'", [submitted]), 0);

    });
  } finally {
    db.close();
  }
});


test('without JavaScript, Submit on a Not-ready panel asks on a page of its own, and the page after says what happened', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const failed = await addPanel(db, 'Failing Clinic', { number: 'PNL-FAIL' });
  await addSubmission(db, failed, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', briefError: 'The panel has no patients assigned.' });
  const { app } = testApp(db, new ManualClock(new Date()));
  const { server, base } = await listen(app);
  const { browser } = await openBrowser();
  try {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await page.goto(`${base}/login`);
    await page.fill('[name=username]', 'clerk');
    await page.fill('[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${base}${SUBMISSIONS}`), page.click('form[action="/login"] button[type=submit]')]);
    await page.click(`#panel-${failed} button[type=submit]`);
    assert.is(await page.locator('h1').textContent(), 'Submit “Failing Clinic”?');
    assert.match(await page.locator('.submit-check').innerText(), /This panel will fail:\s*The panel has no patients assigned\./);
    assert.is(await count(db, "SELECT COUNT(*) FROM submissions WHERE panel_id = ? AND status = 'Queued'", [failed]), 0);
    await page.click('.submit-check button:has-text("Submit anyway")');
    await page.waitForURL(`${base}${SUBMISSIONS}?queued=${failed}#panel-${failed}`);
    assert.match(await page.locator('#submit-status').innerText(), /“Failing Clinic” is queued: it will be sent/);
    assert.is((await page.locator(`#panel-${failed} td.status`).innerText()).trim(), 'Queued');
  } finally {
    await browser.close();
    await close(server);
    db.close();
  }
});

test.run();
