// Every page of the portal in a real browser, signed in with every permission: no console
// error, no page error and no Content-Security-Policy violation anywhere, and none wider than a phone.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { addSubmission, addUser, freshDb, testApp } from '../support/app.ts';
import { addClinicPanel, addRegistryAnswer } from '../support/clinic.ts';
import { axeViolations, htmxReady, inBrowser, signInThroughForm } from '../support/browser.ts';

test('every page loads clean: no console error, no CSP violation, no axe-core violation', async () => {
  const db = await freshDb();
  const admin = await addUser(db, 'admin', ['cii_cpar_settings', 'manage_users', 'view_audit_log']);
  const { panelId } = await addClinicPanel(db, { name: 'Every Page Clinic', patients: 3, withoutConfirmation: 2, recipient: admin });
  const submission = await addSubmission(db, panelId, { status: 'Failed', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 5,
    briefError: '2 patients have no confirmation date for this panel.' });
  await db.execute({ sql: "INSERT INTO submission_problems (submission_id, reason, patient_id) SELECT ?, 'no_confirmation_date', patient_id FROM panel_members WHERE panel_id = ? AND confirmed_on IS NULL", args: [submission, panelId] });
  const message = await db.execute({ sql: "INSERT INTO inbox_messages (recipient_id, subject, body, created_at, panel_id, submission_id) VALUES (?, 'CPAR submission failed', 'What failed: …', 0, ?, ?) RETURNING id", args: [admin, panelId, submission] });
  // A second panel the registry answered: one mismatch, one conflict.
  const answered = await addClinicPanel(db, { name: 'Registry Answered Clinic', patients: 2 });
  await addRegistryAnswer(db, answered.panelId, { createdAt: '2026-10-15T21:00:00-06:00', patientCount: 2, counted: 1, exceptions: [
    { patientId: answered.patientIds[0], kind: 'mismatch', detail: { fields: [{ field: 'gender', clinic: 'F', registry: 'X' }] } },
    { patientId: answered.patientIds[1], kind: 'conflict', detail: { provider: 'Dr. Away', clinic: 'Away Clinic', confirmedOn: '2025-02-02' } },
  ] });
  const waiting = '0a1b2c3d-0000-4000-8000-000000000001';
  await db.execute({ sql: "INSERT INTO import_previews (token, user_id, file_name, content, created_at) VALUES (?, ?, 'clinic.json', ?, 0)",
    args: [waiting, admin, readFileSync(new URL('../../db/examples/clinic-import.json', import.meta.url), 'utf8')] });
  const mapping = '0a1b2c3d-0000-4000-8000-000000000002';
  await db.execute({ sql: "INSERT INTO csv_uploads (token, user_id, file_name, content, created_at) VALUES (?, ?, 'panel.csv', ?, 0)",
    args: [mapping, admin, readFileSync(new URL('../fixtures/csv/ambiguous-dates.csv', import.meta.url), 'utf8')] });
  const { app } = testApp(db, new ManualClock(new Date()));
  try {
    await inBrowser(app, async ({ page, base }) => {
      await signInThroughForm(page, base, 'admin', '/settings/cii-cpar/submissions');
      const found: string[] = [];
      const pages = [
        '/settings/cii-cpar/submissions', '/settings/cii-cpar/submissions?sort=status', '/settings/cii-cpar/submissions?status=failed', '/settings/cii-cpar/panels',
        '/settings/cii-cpar/panels/new', `/settings/cii-cpar/panels/${panelId}`, `/settings/cii-cpar/panels/${panelId}/edit`,
        `/settings/cii-cpar/panels/${panelId}/members`, `/settings/cii-cpar/panels/${panelId}/members?problem=no_confirmation_date`,
        `/settings/cii-cpar/panels/${panelId}/candidates`, `/settings/cii-cpar/panels/${panelId}/submissions`,
        `/settings/cii-cpar/submissions/${submission}`, '/settings/practitioners', '/settings/practitioners/1/edit',
        '/settings/users', '/settings/users/new', '/settings/audit-log', '/settings/audit-log/patient-access', '/inbox', `/inbox/${message.rows[0].id}`,
        '/settings/cii-cpar/import', `/settings/cii-cpar/import/${waiting}`, `/settings/cii-cpar/import/csv/${mapping}`,
        '/settings/cii-cpar/settings', `/settings/cii-cpar/panels/${panelId}/members?problem=stale_visit`,
        `/settings/cii-cpar/panels/${answered.panelId}/registry`, `/settings/cii-cpar/panels/${panelId}/registry`,
      ];
      for (const path of pages) {
        const response = await page.goto(`${base}${path}`);
        assert.is(response?.status(), 200, path);
        await htmxReady(page);
        assert.ok(await page.locator('h1').count(), `${path} has a heading`);
        found.push(...(await axeViolations(page)).map((v) => `${path} ${v}`));
      }
      // On a phone (390 px) no page scrolls sideways: a wide table scrolls in its own region.
      await page.setViewportSize({ width: 390, height: 844 });
      const wide: string[] = [];
      for (const path of pages) {
        await page.goto(`${base}${path}`);
        await htmxReady(page);
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 390) wide.push(`${path} is ${width} px wide`);
      }
      assert.equal(wide, [], 'no page is wider than a phone');
      await page.setViewportSize({ width: 1280, height: 900 });
      // The patient access report is the answer to a POST (the ULI stays out of the URL): its page and printable view.
      await page.goto(`${base}/settings/audit-log/patient-access`);
      const uli = String((await db.execute('SELECT uli FROM patients ORDER BY id LIMIT 1')).rows[0].uli);
      await page.fill('#report-uli', uli);
      await Promise.all([page.waitForURL(/patient-access$/), page.click('#report-form button')]);
      await page.locator('#accesses tbody tr').first().waitFor();
      if (process.env.SCREENSHOTS) await page.screenshot({ path: `${process.env.SCREENSHOTS}/patient-access.png`, fullPage: true });
      found.push(...(await axeViolations(page)).map((v) => `patient access report ${v}`));
      const [print] = await Promise.all([page.context().waitForEvent('page'), page.click('button:has-text("Printable view")')]);
      await print.waitForLoadState();
      await print.locator('#accesses tbody tr').first().waitFor();
      if (process.env.SCREENSHOTS) await print.screenshot({ path: `${process.env.SCREENSHOTS}/patient-access-print.png`, fullPage: true });
      found.push(...(await axeViolations(print)).map((v) => `patient access print view ${v}`));
      await print.close();
      assert.equal(found, [], 'axe-core finds no violation on any page');
      // One htmx interaction that swaps a fragment: the live name-length warning on the form.
      await page.goto(`${base}/settings/cii-cpar/panels/new`);
      await htmxReady(page);
      await page.fill('input[name=name]', 'x'.repeat(256));
      await page.locator('#name-length-warning').filter({ hasText: '256' }).waitFor();
    });
  } finally {
    db.close();
  }
});

test.run();
