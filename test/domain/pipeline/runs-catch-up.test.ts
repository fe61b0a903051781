import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import type { PipelineDeps } from '../../../src/domain/pipeline/pipeline.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import { startTestSimulator } from '../../netcare/support/simulator.ts';
import { freshDb, addUser, count, testApp, request, signIn, dom } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

// The catch-up rule with injected instants: a monthly run is done late on any day until the
// next month's is due, a month with no run at all is recorded as missed, a daily send missed
// goes on the next send day of its month (else at 21:00 on the 1st), and administrators are
// told of a late or missed monthly run, once each.
const catchUp = suite('catch-up');

async function world(firstTick: string) {
  const db = await freshDb();
  const clock = new ManualClock(firstTick);
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000 });
  const netcare = adapt(simulator.url, 'test simulator', 'test-installation', { retryBudgetMs: 1_000, timeoutMs: 500, baseDelayMs: 20 });
  const deps: PipelineDeps = { db, clock, netcare, workerId: 'catch-up-test' };
  const admins = [await addUser(db, 'admin1', ['manage_users']), await addUser(db, 'admin2', ['manage_users', 'cii_cpar_settings'])];
  const gone = await addUser(db, 'gone', ['manage_users']);
  await db.execute({ sql: 'UPDATE users SET disabled_at = 1 WHERE id = ?', args: [gone] });
  const clerk = await addUser(db, 'clerk', ['cii_cpar_settings']);
  const panel = await addClinicPanel(db, { name: 'Main' });
  // The portal was in service before: its first tick (checked by each test, once it can close).
  const firstRuns = (await tick(deps)).runs;
  const at = async (instant: string) => {
    clock.set(instant);
    return (await tick(deps)).runs.map((r) => [r.job, r.scheduledFor.toISOString(), r.late]);
  };
  const runMessages = async () => (await db.execute(
    'SELECT recipient_id, subject, body FROM inbox_messages m WHERE run_id IS NOT NULL ORDER BY (SELECT scheduled_for FROM scheduled_runs r WHERE r.id = m.run_id), recipient_id')).rows;
  const queue = (instant: string) => db.execute({
    sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, triggered_by) VALUES (?, 'Queued', ?, 'manual', ?) RETURNING id",
    args: [panel.panelId, new Date(instant).getTime(), clerk],
  });
  const status = async () => String((await db.execute({ sql: 'SELECT status FROM submissions WHERE panel_id = ? ORDER BY id DESC LIMIT 1', args: [panel.panelId] })).rows[0].status);
  return { firstRuns, db, clock, deps, admins, gone, clerk, panel, at, runMessages, queue, status, close: async () => { await simulator.close(); db.close(); } };
}

const MARCH = '2027-03-16T03:00:00.000Z';
const APRIL = '2027-04-16T03:00:00.000Z';

catchUp('a monthly run missed until the 25th is done on the 25th, late; each administrator is told once', async () => {
  const w = await world('2027-03-14T12:00:00-06:00');
  try {
    assert.equal(w.firstRuns, []);
    assert.equal(await w.at('2027-03-25T09:00:00-06:00'), [['monthly-run', MARCH, true]]);
    assert.is(await w.status(), 'Pending');
    assert.equal(await w.at('2027-03-25T09:01:00-06:00'), []);
    const messages = await w.runMessages();
    assert.equal(messages.map((m) => Number(m.recipient_id)), w.admins, 'the enabled administrators, not the disabled one nor the clerk');
    assert.is(messages[0].subject, 'The monthly CPAR run of March was late');
    assert.match(String(messages[0].body), 'due 2027-03-15 21:00 (Edmonton time) finished 2027-03-25 09:00');
    assert.not.match(String(messages[0].body), 'Testperson');
  } finally {
    await w.close();
  }
});

catchUp('a March run missed until April 10 is done then, before April’s run is due', async () => {
  const w = await world('2027-03-14T12:00:00-06:00');
  try {
    assert.equal(w.firstRuns, []);
    assert.equal(await w.at('2027-04-10T08:00:00-06:00'), [['monthly-run', MARCH, true]]);
    await w.db.execute("UPDATE submissions SET status = 'Submitted', submitted_at = 1");
    assert.equal(await w.at('2027-04-15T21:00:00-06:00'), [['monthly-run', APRIL, false]]);
    assert.is(await count(w.db, 'SELECT count(*) FROM inbox_messages'), 2, 'only the late March run was told');
  } finally {
    await w.close();
  }
});

catchUp('a month with no run before the next was due is recorded as missed, and the administrators are told', async () => {
  const w = await world('2027-03-14T12:00:00-06:00');
  try {
    assert.equal(w.firstRuns, []);
    // Down from the 14th of March to the 16th of April: March's run is gone, April's is late.
    assert.equal(await w.at('2027-04-16T08:00:00-06:00'), [['monthly-run', APRIL, true]]);
    const missed = (await w.db.execute("SELECT scheduled_for, missed, finished_at IS NOT NULL AS closed FROM scheduled_runs WHERE job = 'monthly-run' ORDER BY scheduled_for")).rows;
    assert.equal(missed.map((r) => [new Date(Number(r.scheduled_for)).toISOString(), Number(r.missed), Number(r.closed)]), [[MARCH, 1, 1], [APRIL, 0, 1]]);
    assert.equal((await w.runMessages()).map((m) => m.subject), [
      'The monthly CPAR run of March was missed', 'The monthly CPAR run of March was missed',
      'The monthly CPAR run of April was late', 'The monthly CPAR run of April was late',
    ]);
    assert.equal(await w.at('2027-04-16T08:01:00-06:00'), []);
    assert.is((await w.runMessages()).length, 4, 'exactly one message per run and administrator');
  } finally {
    await w.close();
  }
});

catchUp('a daily send missed on the 9th goes on the 10th’s morning; one missed on the 21st goes at 21:00 on the 1st', async () => {
  const w = await world('2027-04-01T12:00:00-06:00');
  try {
    assert.equal(w.firstRuns, []);
    await w.queue('2027-04-09T10:00:00-06:00');
    assert.equal(await w.at('2027-04-10T07:00:00-06:00'), [['queued-run', '2027-04-10T03:00:00.000Z', true]]);
    assert.is(await w.status(), 'Pending');
    await w.db.execute("UPDATE submissions SET status = 'Submitted', submitted_at = 1");
    assert.equal(await w.at('2027-04-15T21:00:00-06:00'), [['monthly-run', APRIL, false]]);
    await w.db.execute("UPDATE submissions SET status = 'Submitted', submitted_at = 1");

    await w.queue('2027-04-21T09:00:00-06:00');
    for (const instant of ['2027-04-22T08:00:00-06:00', '2027-04-30T12:00:00-06:00', '2027-05-01T20:59:00-06:00']) {
      assert.equal(await w.at(instant), [], instant);
      assert.is(await w.status(), 'Queued');
    }
    assert.equal(await w.at('2027-05-01T21:00:00-06:00'), [['queued-run', '2027-05-02T03:00:00.000Z', false]]);
    assert.is(await w.status(), 'Pending');
    assert.is(await count(w.db, 'SELECT count(*) FROM inbox_messages'), 0, 'daily sends tell no administrator');
  } finally {
    await w.close();
  }
});

catchUp('the Queued row says when a missed send goes instead', async () => {
  const w = await world('2027-03-01T12:00:00-06:00');
  try {
    await w.db.execute("INSERT INTO scheduled_runs (job, scheduled_for, started_at, finished_at) VALUES ('monthly-run', 0, 0, 0)");
    await w.queue('2027-03-21T09:00:00-06:00');
    const { app, clock } = testApp(w.db, new ManualClock('2027-03-21T09:05:00-06:00'));
    const note = async (instant: string) => {
      clock.set(instant);
      const cookie = await signIn(app, 'clerk');
      const res = await request(app, 'GET', `/settings/cii-cpar/panels/${w.panel.panelId}/submission`, { cookie, htmx: true });
      return (await dom(res)).querySelector('.actions')?.textContent ?? '';
    };
    assert.is(await note('2027-03-21T09:05:00-06:00'), 'Will be sent 21:00 tonight');
    assert.is(await note('2027-03-22T08:00:00-06:00'), 'The send of 2027-03-21 21:00 was missed; it will be sent 1 April 21:00');
    await w.db.execute({ sql: 'UPDATE submissions SET created_at = ? WHERE panel_id = ?', args: [new Date('2027-03-19T09:00:00-06:00').getTime(), w.panel.panelId] });
    assert.is(await note('2027-03-20T08:00:00-06:00'), 'The send of 2027-03-19 21:00 was missed; it will be sent at the portal’s next check, within a minute');
  } finally {
    await w.close();
  }
});

catchUp('starting a portal on a quiet day records no daily run, however often it starts', async () => {
  const w = await world('2027-04-09T08:00:00-06:00');
  try {
    assert.equal(w.firstRuns, []);
    for (const instant of ['2027-04-09T08:00:00-06:00', '2027-04-09T08:05:00-06:00', '2027-04-10T07:00:00-06:00', '2027-04-12T23:00:00-06:00']) {
      assert.equal(await w.at(instant), [], instant);
    }
    assert.is(await count(w.db, 'SELECT count(*) FROM scheduled_runs'), 0);
  } finally {
    await w.close();
  }
});

catchUp.run();
