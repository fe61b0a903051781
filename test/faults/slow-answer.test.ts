import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { queueSubmission } from '../../src/domain/submissions/submissions.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { setFault, simRequests, simSubmissions } from '../netcare/support/simulator.ts';
import { startSimulatorProcess, until } from '../support/processes.ts';
import { addUser, dom, request, signIn, testApp } from '../support/app.ts';
import { ANSWERED, cliClinic, RUN, validPanels } from '../support/cli-clinic.ts';

// Netcare answering after the portal's timeout, everything a real process: the simulator, and
// each `tick` of the portal. An answer that never came is not a failure.
const slow = suite('a slow answer is not a failure (real processes)');
const LATER = '2027-03-15T21:05:00-06:00';

slow('Netcare answering after the timeout: Pending, no message; the poll finds it by its key; stored once, whatever the clerk clicks', async () => {
  const simulator = await startSimulatorProcess();
  try {
    const clinic = await cliClinic('slow', simulator.url);
    // Each request is answered after 500 ms (the portal gives up after 300 ms), and stored.
    await setFault(simulator.url, { mode: 'slow', slowMs: 500 });
    const printed = await clinic.tick(RUN);
    assert.match(printed, /0 sent \(Pending\), 2 unanswered \(Pending, checking by key\), 3 failed validation, 0 rejected by Netcare, 0 not received by Netcare/);
    let rows = await clinic.withDb(validPanels);
    assert.equal(rows.map((r) => [r.key, r.status, r.brief_error, r.netcare_reference, Number(r.messages)]), [
      ['lee-main', 'Pending', null, null, 0],
      ['okoye-riverside', 'Pending', null, null, 0],
    ]);
    // The simulator stored what it answered late: once per panel, under the key of each try.
    await until(async () => (await simSubmissions(simulator.url)).length === 2, 5_000, 'the late answers');

    // The clerk presses Submit on the panel (through the app) while it is Pending: nothing new.
    await clinic.withDb(async (db) => {
      const clerk = await addUser(db, 'clerk', ['cii_cpar_settings']);
      const { app } = testApp(db, new ManualClock(LATER));
      const cookie = await signIn(app, 'clerk');
      const panelId = Number((await db.execute("SELECT id FROM panels WHERE key = 'lee-main'")).rows[0].id);
      const response = await request(app, 'POST', `/settings/cii-cpar/panels/${panelId}/submissions`, { cookie, htmx: true });
      const row = await dom(response);
      assert.is(row.querySelector('.status')?.textContent, 'Pending');
      assert.is(row.querySelector('.when')?.textContent, 'Netcare did not answer in time — still checking');
      const again = await queueSubmission(db, new ManualClock(LATER), { userId: clerk, username: 'clerk', fullName: 'Test clerk', permissions: new Set(['cii_cpar_settings']) }, panelId);
      assert.is(again.ok, false);
    });
    assert.is((await clinic.withDb(validPanels)).length, 2, 'no second submission');

    // Netcare is quick again: the poll asks by key, keeps the reference and follows the status.
    await setFault(simulator.url, { mode: 'none' });
    await clinic.tick(LATER, ANSWERED);
    rows = await clinic.withDb(validPanels);
    const stored = await simSubmissions(simulator.url);
    assert.equal(rows.map((r) => [r.key, r.status, Number(r.messages)]), [['lee-main', 'Submitted', 0], ['okoye-riverside', 'Submitted', 0]]);
    assert.equal(rows.map((r) => r.netcare_reference).sort(), stored.map((s) => s.reference).sort());
    assert.is(new Set(stored.map((s) => s.panelNumber)).size, 2, 'each panel stored exactly once');
    assert.is((await simRequests(simulator.url)).filter((r) => r.method === 'POST' && r.fault === 'none').length, 0, 'nothing sent again');
  } finally {
    await simulator.stop();
  }
});

slow('Netcare never answered and never stored it: the poll sends it again with the same key, and it is stored once', async () => {
  const simulator = await startSimulatorProcess();
  try {
    const clinic = await cliClinic('unknown-key', simulator.url);
    await setFault(simulator.url, { mode: 'hang' });
    await clinic.tick(RUN);
    assert.equal((await clinic.withDb(validPanels)).map((r) => [r.status, r.netcare_reference]), [['Pending', null], ['Pending', null]]);
    assert.is((await simSubmissions(simulator.url)).length, 0);
    const hungKeys = new Set((await simRequests(simulator.url)).filter((r) => r.method === 'POST').map((r) => r.idempotencyKey));

    await setFault(simulator.url, { mode: 'none' });
    await clinic.tick(LATER, ANSWERED);
    const rows = await clinic.withDb(validPanels);
    const stored = await simSubmissions(simulator.url);
    assert.equal(rows.map((r) => r.status), ['Submitted', 'Submitted']);
    assert.is(stored.length, 2);
    assert.equal(new Set(stored.map((s) => s.idempotencyKey)), hungKeys, 'sent again under the keys of the first send');
    const lookups = (await simRequests(simulator.url)).filter((r) => r.method === 'GET' && r.path === '/cpar/submissions' && r.fault === 'none');
    assert.equal(new Set(lookups.map((r) => r.idempotencyKey)), hungKeys, 'each asked about by its key first');
    assert.is(lookups.length, 2);
  } finally {
    await simulator.stop();
  }
});

slow.run();
