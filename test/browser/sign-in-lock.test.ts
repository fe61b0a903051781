// A user locked out by failed sign-ins, as the clinic sees it in a real browser: the sign-in
// page says until when; the Users page lists the lock (axe-core clean) and lifts it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { addUser, freshDb, testApp } from '../support/app.ts';
import { axeViolations, inBrowser, signInThroughForm } from '../support/browser.ts';

test('a locked-out user: the sign-in page says until when, an administrator sees the lock and lifts it', async () => {
  const db = await freshDb();
  await addUser(db, 'admin', ['manage_users']);
  const alice = await addUser(db, 'alice', ['cii_cpar_settings']);
  const clock = new ManualClock(new Date());
  const { app } = testApp(db, clock);
  try {
    await inBrowser(app, async ({ page, base, errors }) => {
      for (let i = 0; i < 6; i++) {
        await page.goto(`${base}/login`);
        await page.fill('[name=username]', 'alice');
        await page.fill('[name=password]', `not her password ${i}`);
        await Promise.all([page.waitForLoadState(), page.click('form[action="/login"] button[type=submit]')]);
        clock.advance(60_000);
      }
      assert.match(await page.locator('#login-error').innerText(), /^Too many attempts\. Try again after \d\d:\d\d\.$/);
      assert.equal(await axeViolations(page), []);
      // Chromium logs every refused sign-in's status (401 five times, then 429): those alone, as expected.
      assert.equal(errors.map((e) => / status of (\d+) .*\/login\)$/.exec(e)?.[1]), ['401', '401', '401', '401', '401', '429']);
      errors.length = 0;

      await signInThroughForm(page, base, 'admin', '/inbox');
      await page.goto(`${base}/settings/users`);
      assert.match(await page.locator('#locked-users').innerText(), /alice until \d\d:\d\d/);
      assert.match(await page.locator(`#user-${alice} .badge-locked`).innerText(), /Locked until \d\d:\d\d/);
      assert.equal(await axeViolations(page), []);
      await Promise.all([page.waitForURL(/done=unlocked/), page.click(`#user-${alice} button:has-text("Lift the lock")`)]);
      assert.is(await page.locator(`#user-${alice} .confirmation`).innerText(), 'Lock lifted: alice can sign in now.');
      assert.is(await page.locator('#locked-users').count(), 0);
      assert.equal(await axeViolations(page), []);

      await page.context().clearCookies();
      await signInThroughForm(page, base, 'alice', '/settings/cii-cpar/submissions');
    });
  } finally {
    db.close();
  }
});

test.run();
