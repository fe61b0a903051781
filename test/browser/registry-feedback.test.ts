// The registry's answer worked to resolution across two monthly submissions, in Chromium, with
// the real pipeline and simulator: the clerk records a patient's new confirmation for a conflict
// and the corrected demographics for a mismatch; April's submission no longer reports either.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { tick } from '../../src/domain/pipeline/runs.ts';
import type { PipelineDeps } from '../../src/domain/pipeline/pipeline.ts';
import { openExceptions } from '../../src/domain/registry/registry.ts';
import { adapt } from '../../src/netcare-connection.ts';
import { startTestSimulator } from '../netcare/support/simulator.ts';
import { addUser, freshDb, testApp } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';
import { axeViolations, inBrowser, signInThroughForm } from '../support/browser.ts';

const COLUMN = { lastName: 'last_name', firstName: 'first_name', birthDate: 'birth_date', gender: 'gender' } as const;

test('a conflict and a mismatch worked in the portal are gone from the next submission’s answer', async () => {
  const db = await freshDb();
  const clock = new ManualClock('2027-03-15T21:00:00-06:00');
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000, registry: { seed: 11, mismatchShare: 0.25, conflictShare: 0.8 } });
  const deps: PipelineDeps = { db, clock, workerId: 'browser-test',
    netcare: adapt(simulator.url, 'test simulator', 'browser-test', { retryBudgetMs: 1_000, timeoutMs: 500, baseDelayMs: 20 }) };
  const monthlyRun = async (at: string) => {
    clock.set(at);
    await tick(deps);
    clock.advance(60_000);
    assert.is((await tick(deps)).polled.submitted, 1, `${at}: confirmed`);
  };
  try {
    await addUser(db, 'clerk', ['cii_cpar_settings']);
    const { panelId } = await addClinicPanel(db, { name: 'Registry Clinic', patients: 24 });
    await monthlyRun('2027-03-15T21:00:00-06:00');
    const march = (await openExceptions(db, panelId))!;
    // The other provider confirms the patient again every year on the same date: a conflict whose
    // date does not come round between our new confirmation (03-16) and April's run is settled ours.
    const comesRound = (date: string) => date.slice(5) >= '03-16' && date.slice(5) <= '04-15';
    const conflict = march.items.find((i) => i.kind === 'conflict' && !comesRound(i.detail.confirmedOn))!;
    const mismatch = march.items.find((i) => i.kind === 'mismatch')!;
    assert.ok(conflict && mismatch, 'March reports both kinds');

    clock.set('2027-03-16T10:00:00-06:00');
    const { app } = testApp(db, clock);
    await inBrowser(app, async ({ page, base }) => {
      await signInThroughForm(page, base, 'clerk', '/settings/cii-cpar/submissions');
      const counted = page.locator(`#panel-${panelId} a.counted`);
      assert.match(await counted.innerText(), `${march.counted} of 24 counted`);
      await Promise.all([page.waitForURL(`${base}/settings/cii-cpar/panels/${panelId}/registry`), counted.click()]);
      assert.equal(await axeViolations(page), []);
      // On a phone the worklists scroll in their own regions: the page itself never goes sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scroll at 390 px');
      await page.setViewportSize({ width: 1280, height: 800 });

      // The patient confirms with us: a new confirmation date, recorded with who and when.
      const conflictRow = page.locator(`#item-${conflict.id}`);
      await conflictRow.locator('input[name=confirmedOn]').fill('2027-03-16');
      await Promise.all([page.waitForURL(/recorded=confirmed/), conflictRow.locator('button:has-text("Record confirmation")').click()]);
      assert.match(await page.locator('#feedback-notice').innerText(), 'confirmed with us');
      assert.match(await page.locator(`#item-${conflict.id} .done`).innerText(), /The patient confirmed with us \(2027-03-16\)\s*— Test clerk/);

      // The clinical record is corrected (as the next import brings it), and the clerk says so.
      for (const f of mismatch.kind === 'mismatch' ? mismatch.detail.fields : []) {
        await db.execute({ sql: `UPDATE patients SET ${COLUMN[f.field]} = ? WHERE id = ?`, args: [f.registry, mismatch.patient!.id] });
      }
      await Promise.all([page.waitForURL(/recorded=corrected/),
        page.locator(`#item-${mismatch.id} button:has-text("Demographics corrected")`).click()]);
      assert.match(await page.locator(`#item-${mismatch.id} .done`).innerText(), 'Demographics corrected in the clinical record');

      await monthlyRun('2027-04-15T21:00:00-06:00');
      // A month later the session has lapsed: the clerk signs in again.
      await page.context().clearCookies();
      await signInThroughForm(page, base, 'clerk', '/settings/cii-cpar/submissions');
      await page.goto(`${base}/settings/cii-cpar/panels/${panelId}/registry`);
      assert.match(await page.locator('#feedback-summary').innerText(), '(2027-04-15');
      const open = { mismatch: await page.locator('#mismatches tbody th').allInnerTexts(), conflict: await page.locator('#conflicts tbody th').allInnerTexts() };
      assert.ok(open.mismatch.length + open.conflict.length > 0, 'the items nobody worked are still open');
      // (a patient can be on both lists: each item is looked for on its own)
      for (const item of [conflict, mismatch]) {
        assert.not.ok(open[item.kind].some((t) => t.includes(item.patient!.uli)), `${item.kind} of ${item.patient!.uli} resolved in April`);
      }
    });
  } finally {
    await simulator.close();
  }
});

test.run();
