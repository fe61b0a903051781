// A failure message leads its reader somewhere they can go: a recipient with CII/CPAR settings
// follows its link to the failed submission's problems; a recipient without it (the typical
// physician) is told, by name, whom to ask — never sent to a page that answers 403.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { failSubmission } from '../../src/domain/submissions/failures.ts';
import { addPanel, addSubmission, addUser, freshDb, testApp } from '../support/app.ts';
import { axeViolations, inBrowser, signInThroughForm } from '../support/browser.ts';

test('the recipient opens the failure message: the clerk follows its link, the physician learns whom to ask', async () => {
  const db = await freshDb();
  const clerk = await addUser(db, 'clerk', ['cii_cpar_settings']);
  const physician = await addUser(db, 'physician');
  await db.execute({ sql: "UPDATE users SET full_name = 'Casey Clerk' WHERE id = ?", args: [clerk] });
  const clock = new ManualClock(new Date());
  const failed: Record<string, number> = {};
  for (const [who, recipient] of [['clerk', clerk], ['physician', physician]] as const) {
    const panel = await addPanel(db, `Panel of ${who}`, { recipient });
    const submission = await addSubmission(db, panel, { status: 'Pending', createdAt: '2026-11-15T21:00:00-07:00' });
    assert.ok(await failSubmission(db, clock, submission, { status: 'Pending' }, {
      briefError: 'Netcare rejected the submission.', problems: [{ reason: 'netcare_rejected', patientId: null, detail: 'HTTP 422' }],
    }));
    failed[who] = submission;
  }
  const { app } = testApp(db, clock);
  await inBrowser(app, async ({ page, base }) => {
    await signInThroughForm(page, base, 'physician', '/inbox');
    await page.click('#inbox a');
    const help = page.locator('#fix-link');
    assert.match(await help.innerText(), /Who can fix it[\s\S]*ask them to fix and resubmit the panel/);
    assert.equal(await help.locator('li').allInnerTexts(), ['Casey Clerk']);
    assert.is(await help.locator('a').count(), 0, 'no link to a page the physician cannot open');
    assert.equal(await axeViolations(page), []);

    await page.context().clearCookies();
    await signInThroughForm(page, base, 'clerk', '/settings/cii-cpar/submissions');
    await page.goto(`${base}/inbox`);
    await page.click('#inbox a');
    await Promise.all([page.waitForURL(`${base}/settings/cii-cpar/submissions/${failed.clerk}`), page.click('a#fix-link')]);
    assert.match(await page.locator('.breadcrumb').innerText(), /Panel of clerk/);
    assert.match(await page.locator('#panel-problems').innerText(), /HTTP 422|rejected/);
  });
});

test.run();
