// Real Chromium: a clerk's Submit whose request gets no answer (the connection refused, as when
// the portal is restarting or the network drops). htmx changes nothing then, so the page says
// so in #flash; the row stays as it was, and nothing was queued.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { addPanel, addUser, count, freshDb, testApp } from '../support/app.ts';
import { inBrowser, signInThroughForm } from '../support/browser.ts';

const SUBMISSIONS = '/settings/cii-cpar/submissions';

test('a Submit that gets no answer says so, and the row stays', async () => {
  const db = await freshDb();
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const panelId = await addPanel(db, 'Quiet Clinic', { number: 'PNL-QUIET' });
  // The cookie's Expires comes from the app's clock, judged by the browser's real one.
  const { app } = testApp(db, new ManualClock(new Date()));
  await inBrowser(app, async ({ page, base, errors }) => {
    await signInThroughForm(page, base, 'clerk', SUBMISSIONS);
    const row = page.locator(`#panel-${panelId}`);
    await page.route(`${base}/settings/cii-cpar/panels/${panelId}/submissions`, (route) => route.abort('connectionrefused'));
    await row.locator('button[type=submit]').click();

    const alert = page.locator('#flash [role=alert]');
    await alert.waitFor();
    assert.is(await alert.innerText(),
      'The portal did not answer, so this page may not show what happened. Check the connection, then reload the page to see where things stand.');
    assert.is(await row.locator('button[type=submit]').count(), 1, 'the row is as it was');
    assert.is(await count(db, 'SELECT count(*) FROM submissions WHERE panel_id = ?', [panelId]), 0);
    // htmx logs the failed fetch (and Chromium may log the refused connection): the test's doing.
    const refused = errors.filter((e) => /htmx:error: Failed to fetch|ERR_CONNECTION_REFUSED/.test(e));
    assert.ok(refused.length >= 1, errors.join('\n'));
    errors.splice(0, errors.length, ...errors.filter((e) => !refused.includes(e)));
  });
});

test.run();
