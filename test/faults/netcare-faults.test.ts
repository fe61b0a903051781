import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/domain/database/db.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { setFault, simRequests, simSubmissions } from '../netcare/support/simulator.ts';
import { startSimulatorProcess } from '../support/processes.ts';
import { addUser, dom, request, signIn, testApp } from '../support/app.ts';
import { ANSWERED, cliClinic, RUN, validPanels } from '../support/cli-clinic.ts';

// Netcare certainly not getting the panel, with everything a real process: the simulator in
// its own process answering errors (or not running at all), the portal's runs in others. Each
// class has its own words on the row; the technical detail is on the submission's page only;
// the panel is retried by itself at the next send time.
const faults = suite('Netcare faults, real processes');

/** What a clinic user sees of a panel's submission: its row, its page and the inbox message. */
async function seen(db: Db, at: string, submissionId: number) {
  await addUser(db, 'clerk', ['cii_cpar_settings']);
  const { app } = testApp(db, new ManualClock(at));
  const cookie = await signIn(app, 'clerk');
  const panelId = Number((await db.execute({ sql: 'SELECT panel_id FROM submissions WHERE id = ?', args: [submissionId] })).rows[0].panel_id);
  const row = await dom(await request(app, 'GET', `/settings/cii-cpar/panels/${panelId}/submission`, { cookie, htmx: true }));
  const page = await dom(await request(app, 'GET', `/settings/cii-cpar/submissions/${submissionId}`, { cookie }));
  const message = (await db.execute({ sql: "SELECT body FROM inbox_messages WHERE submission_id = ? AND kind = 'failure'", args: [submissionId] })).rows[0];
  return { row: row.querySelector('tr')?.textContent ?? '', page: page.querySelector('#panel-problems')?.textContent ?? '', message: String(message?.body ?? '') };
}

for (const [mode, brief] of [['500', 'Netcare answered with an error (HTTP 500).'], ['429', 'Netcare answered with an error (HTTP 429).']]) {
  faults(`Netcare answering ${mode}: Failed "${brief}", one message saying nothing needs fixing, and an automatic retry queued`, async () => {
    const simulator = await startSimulatorProcess({ NETCARE_SIM_FAULT: mode });
    try {
      const clinic = await cliClinic(`fault-${mode}`, simulator.url, ANSWERED);
      await clinic.tick(RUN);
      const rows = await clinic.withDb(validPanels);
      assert.equal(rows.map((r) => [r.key, r.status, r.brief_error, Number(r.messages), r.automatic_retry, r.retry_of]), [
        ['lee-main', 'Failed', brief, 1, null, null],
        ['lee-main', 'Queued', null, 0, 1, rows[0].id],
        ['okoye-riverside', 'Failed', brief, 0, null, null],
        ['okoye-riverside', 'Queued', null, 0, 1, rows[2].id],
      ]);
      assert.is((await simSubmissions(simulator.url)).length, 0, 'nothing was stored');
      const tries = (await simRequests(simulator.url)).filter((r) => r.method === 'POST');
      assert.ok(tries.length >= 2, `retried (${tries.length} attempts)`);
      assert.is(new Set(tries.map((r) => r.idempotencyKey)).size, 2, 'one key per submission, reused on every retry');

      const { row, page, message } = await clinic.withDb((db) => seen(db, '2027-03-15T21:05:00-06:00', Number(rows[0].id)));
      assert.match(page, new RegExp(`Netcare answered with an error: Netcare answered ${mode}; gave up after \\d+ attempts? in`));
      assert.match(row, 'Automatic retry 1 of 3');
      assert.match(row, 'Will be sent Tue 16 March 21:00');
      assert.match(message, `What failed: ${brief}`);
      assert.match(message, 'Nothing in the panel needs fixing: Netcare did not receive it.');
      assert.match(message, 'It will be sent again automatically at the next send time, 2027-03-16 21:00 (automatic retry 1 of 3); no one needs to act.');
      for (const text of [row, message]) assert.not.match(text, /gave up|attempt/);
      assert.not.match(message, 'Correct the errors');
    } finally {
      await simulator.stop();
    }
  });
}

faults('Netcare down (no process listening): Failed "could not be reached", detail on the page only; data errors are not retried', async () => {
  const simulator = await startSimulatorProcess();
  await simulator.stop();
  const clinic = await cliClinic('fault-down', simulator.url, ANSWERED);
  await clinic.tick(RUN);
  const rows = await clinic.withDb(validPanels);
  assert.equal(rows.map((r) => [r.key, r.status, r.brief_error, Number(r.messages)]), [
    ['lee-main', 'Failed', 'Netcare could not be reached.', 1], ['lee-main', 'Queued', null, 0],
    ['okoye-riverside', 'Failed', 'Netcare could not be reached.', 0], ['okoye-riverside', 'Queued', null, 0],
  ]);
  const { row, page, message } = await clinic.withDb((db) => seen(db, '2027-03-15T21:05:00-06:00', Number(rows[0].id)));
  assert.match(page, /Netcare could not be reached: connection failed \(ECONNREFUSED\); gave up after \d+ attempts? in/);
  for (const text of [row, message]) assert.not.match(text, /ECONNREFUSED|gave up/);
  // The panels failing the rules are Failed with their data errors, and nothing is queued for them.
  const invalid = await clinic.withDb(async (db) => (await db.execute(`SELECT p.key, s.status FROM submissions s JOIN panels p ON p.id = s.panel_id
    WHERE p.key NOT IN ('lee-main', 'okoye-riverside') ORDER BY p.key`)).rows.map((r) => [r.key, r.status]));
  assert.ok(invalid.length > 0 && invalid.every(([, status]) => status === 'Failed'), JSON.stringify(invalid));
});

faults('Netcare answering 500 for days: retried automatically at the next three send times, then it stops and says someone must act', async () => {
  const simulator = await startSimulatorProcess({ NETCARE_SIM_FAULT: '500' });
  try {
    const clinic = await cliClinic('fault-retries', simulator.url, { NETCARE_TIMEOUT_MS: '2000', NETCARE_RETRY_BUDGET_MS: '2000' });
    for (const day of [15, 16, 17, 18]) await clinic.tick(`2027-03-${day}T21:00:00-06:00`);
    await clinic.tick('2027-03-19T21:00:00-06:00');
    const lee = (await clinic.withDb(validPanels)).filter((r) => r.key === 'lee-main');
    assert.equal(lee.map((r) => [r.status, r.automatic_retry, Number(r.messages)]), [
      ['Failed', null, 1], ['Failed', 1, 1], ['Failed', 2, 1], ['Failed', 3, 1],
    ]);
    assert.equal(lee.slice(1).map((r) => r.retry_of), lee.slice(0, 3).map((r) => r.id), 'each retry points at the failure it repeats');
    const { message } = await clinic.withDb((db) => seen(db, '2027-03-19T21:05:00-06:00', Number(lee[3].id)));
    assert.match(message, 'It was retried automatically 3 times and will not be retried again: someone must act.', message);
    assert.not.match(message, 'will be sent again');
    const history = await clinic.withDb(async (db) => {
      const { app } = testApp(db, new ManualClock('2027-03-19T21:05:00-06:00'));
      const cookie = await signIn(app, 'clerk');
      const page = await dom(await request(app, 'GET', `/settings/cii-cpar/panels/${Number((await db.execute("SELECT id FROM panels WHERE key = 'lee-main'")).rows[0].id)}/submissions`, { cookie }));
      return [...page.querySelectorAll('td.trigger')].map((td) => td.textContent);
    });
    assert.equal(history, ['Automatic retry 3 of 3', 'Automatic retry 2 of 3', 'Automatic retry 1 of 3', 'Scheduled (monthly run)']);
  } finally {
    await simulator.stop();
  }
});

faults.run();
