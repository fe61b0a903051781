// In a real browser, searching members and candidates as one types (htmx) sends the ULI in
// POST bodies only: no request URL, no address bar and no history entry holds it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { addUser, freshDb, testApp } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';
import { htmxReady, inBrowser, signInThroughForm } from '../support/browser.ts';

test('typing a ULI into the member and candidate searches finds the patient and puts it in no URL', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const panel = await addClinicPanel(db, { name: 'Search Clinic', patients: 0, withoutConfirmation: 60 });
  const uli = String((await db.execute({ sql: 'SELECT uli FROM patients WHERE id = ?', args: [panel.patientIds[42]] })).rows[0].uli);
  const outsider = await db.execute("INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES ('777666555', 'Outsider', 'Olu', '1970-01-01', 'F') RETURNING id");
  const { app } = testApp(db, new ManualClock(new Date()));
  try {
    await inBrowser(app, async ({ page, base }) => {
      const urls: string[] = [];
      page.on('request', (r) => urls.push(r.url()));
      await signInThroughForm(page, base, 'clerk', '/settings/cii-cpar/submissions');
      const members = `${base}/settings/cii-cpar/panels/${panel.panelId}/members`;
      await page.goto(members);
      await htmxReady(page);
      await page.fill('#member-q', uli);
      await page.waitForFunction(() => document.querySelectorAll('#members-table tbody tr').length === 1);
      assert.ok(await page.locator(`#member-${panel.patientIds[42]}`).count());
      assert.is(page.url(), members);
      await page.goto(`${base}/settings/cii-cpar/panels/${panel.panelId}/candidates`);
      await htmxReady(page);
      await page.fill('#candidate-q', '777666555');
      await page.waitForSelector(`#candidate-${Number(outsider.rows[0].id)}`);
      assert.is(page.url(), `${base}/settings/cii-cpar/panels/${panel.panelId}/candidates`);
      assert.ok(urls.some((u) => u.endsWith('/members/search')), 'the search went by POST');
      for (const u of urls) for (const secret of [uli, '777666555']) assert.not.ok(u.includes(secret), u);
    });
  } finally {
    db.close();
  }
});

test.run();
