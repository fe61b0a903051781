// Bulk changes to a panel's members in a real browser: confirming never stamps over a recorded
// date, removing is checked first, and both are undone from the page that reports them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { addUser, freshDb, testApp } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';
import { axeViolations, inBrowser, signInThroughForm } from '../support/browser.ts';

test('a clerk confirms in bulk (recorded dates kept), removes after a check, and undoes both', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  // 2 with a date and no visit, 2 with a visit and no date.
  const panel = await addClinicPanel(db, { name: 'Bulk Clinic', patients: 0, withoutVisit: 2, withoutConfirmation: 2 });
  const members = async () => JSON.stringify((await db.execute({ sql: 'SELECT * FROM panel_members WHERE panel_id = ? ORDER BY patient_id', args: [panel.panelId] })).rows);
  const before = await members();
  const url = `/settings/cii-cpar/panels/${panel.panelId}/members`;
  const { app } = testApp(db, new ManualClock(new Date()));
  try {
    await inBrowser(app, async ({ page, base }) => {
      await signInThroughForm(page, base, 'clerk', '/settings/cii-cpar/submissions');
      await page.goto(`${base}${url}`);
      await page.waitForFunction(() => typeof (window as unknown as { htmx?: unknown }).htmx === 'object');
      for (const id of panel.patientIds) await page.check(`#member-${id} input[type=checkbox]`);
      await page.click('#bulk-confirm button:text-is("Confirm selected")');
      await page.waitForSelector('#members [role=status] form');
      assert.is((await page.locator('#members [role=status] p').textContent())?.replace(/\s+/g, ' ').trim(),
        `2 patients confirmed on ${await page.locator('#confirmed-on').inputValue()}. 2 were already confirmed and kept their date.`);
      assert.equal(await axeViolations(page), []);
      await page.click('#members [role=status] button:text-is("Undo")');
      await page.waitForFunction(() => document.querySelector('#members [role=status]')?.textContent?.includes('Undone'));
      assert.is(await members(), before, 'undo restored the rows exactly');

      await page.goto(`${base}${url}?problem=no_last_visit`);
      await page.waitForFunction(() => typeof (window as unknown as { htmx?: unknown }).htmx === 'object');
      assert.is(await page.locator('#confirmed-on').count(), 0, 'no confirming where it cannot help');
      for (const id of panel.patientIds.slice(0, 2)) await page.check(`#member-${id} input[type=checkbox]`);
      await page.click('#bulk-confirm button[formaction$="/removals"]');
      await page.waitForSelector('#review-heading');
      assert.is(await page.locator('#review-heading').textContent(), 'Remove 2 patients from this panel?');
      assert.is(await page.evaluate(() => document.activeElement?.id), 'review-heading', 'focus moves to the question');
      assert.equal(await axeViolations(page), []);
      await page.click('#members.review button[type=submit]');
      await page.waitForSelector('#members [role=status] form');
      assert.match(await page.locator('#members [role=status] p').textContent() ?? '', '2 patients removed from this panel');
      await page.click('#members [role=status] button:text-is("Undo")');
      await page.waitForFunction(() => document.querySelector('#members [role=status]')?.textContent?.includes('Undone'));
      assert.is(await members(), before);
    });
  } finally {
    db.close();
  }
});

test.run();
