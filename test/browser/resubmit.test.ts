// One real-browser test (Debian's chromium driven by playwright-core): a clerk resubmits a
// Failed panel and htmx swaps that panel's row in place, without reloading the page.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { ManualClock } from '../../src/domain/clock.ts';
import { addPanel, addSubmission, addUser, count, freshDb, PASSWORD, testApp } from '../support/app.ts';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const SUBMISSIONS = '/settings/cii-cpar/submissions';

function listen(app: ReturnType<typeof testApp>['app']): Promise<{ server: ServerType; base: string }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolve({ server, base: `http://127.0.0.1:${info.port}` });
    });
    server.once('error', reject);
  });
}

function close(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    // Drop keep-alive connections the browser may still hold, or close() waits for them.
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}

test('a clerk resubmits a Failed panel: its row turns Queued in place, no reload', async () => {
  assert.ok(existsSync(CHROMIUM),
    `No Chromium at ${CHROMIUM}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);

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
  const { server, base } = await listen(app);
  let browser: Browser | undefined;
  const errors: string[] = [];
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    // Every Content-Security-Policy violation, on every page this test opens.
    await page.exposeFunction('reportCspViolation', (v: string) => errors.push(`csp: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportCspViolation(v: string): void }).reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });

    await page.goto(`${base}/login`);
    await page.fill('[name=username]', 'clerk');
    await page.fill('[name=password]', PASSWORD);
    await Promise.all([
      page.waitForURL(`${base}${SUBMISSIONS}`),
      page.click('form[action="/login"] button[type=submit]'),
    ]);
    assert.is(page.url(), `${base}${SUBMISSIONS}`);
    // htmx has to be loaded and have processed the page before the click means anything.
    await page.waitForFunction(() => typeof (window as unknown as { htmx?: unknown }).htmx === 'object');

    const row = page.locator(`#panel-${failed}`);
    assert.is((await row.locator('td.status').innerText()).trim(), 'Failed');
    const submit = row.locator('button[type=submit]');
    assert.is(await submit.count(), 1, 'the Failed row has a Submit button');
    assert.is(await row.getAttribute('hx-trigger'), null, 'a Failed row does not poll');

    await page.evaluate(() => { (window as unknown as { __noReload?: boolean }).__noReload = true; });
    const urlBefore = page.url();
    await submit.click();

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
    assert.is(await page.locator('#submissions tbody tr').count(), 2, 'still one row per panel');
    assert.is((await page.locator(`#panel-${submitted} td.status`).innerText()).trim(), 'Submitted');

    assert.is(await count(db, "SELECT COUNT(*) FROM submissions WHERE panel_id = ? AND status = 'Queued'", [failed]), 1);
    assert.is(await count(db, "SELECT COUNT(*) FROM submissions WHERE panel_id = ? AND status = 'Queued'", [submitted]), 0);

    assert.equal(errors, [], 'no console errors or page errors');
  } finally {
    await browser?.close();
    await close(server);
    db.close();
  }
});

test.run();
