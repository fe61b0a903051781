import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock, offsetClock } from '../../src/domain/time/clock.ts';
import type { TickReport } from '../../src/domain/pipeline/runs.ts';
import { startScheduler, describeTick } from '../../src/scheduler/scheduler.ts';
import { adapt } from '../../src/netcare-connection.ts';
import { setFault, simRequests, startTestSimulator } from '../netcare/support/simulator.ts';
import { freshDb, addUser, count } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';

const scheduler = suite('scheduler');

async function until(check: () => Promise<boolean>, ms = 5_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

scheduler('on its own, it does the monthly run at 21:00 on the 15th and then collects the confirmations', async () => {
  const db = await freshDb();
  const clock = new ManualClock('2027-03-15T20:59:00-06:00');
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000 });
  const netcare = adapt(simulator.url, 'sim', 'scheduler-test', { retryBudgetMs: 500, timeoutMs: 300 });
  const recipient = await addUser(db, 'jsmith');
  const good = await addClinicPanel(db, { name: 'Good', recipient });
  await addClinicPanel(db, { name: 'Bad', withoutConfirmation: 2, recipient });
  const reports: TickReport[] = [];
  const running = startScheduler({ db, clock, netcare, workerId: 'scheduler-test' }, { pollIntervalMs: 25, heartbeatMs: 25, log: (r) => reports.push(r) });
  try {
    await until(async () => reports.length >= 2);
    assert.is(await count(db, 'SELECT count(*) FROM submissions'), 0, 'nothing before 21:00');
    clock.set('2027-03-15T21:00:00-06:00');
    await until(async () => (await count(db, "SELECT count(*) FROM submissions WHERE status = 'Pending'")) === 1);
    assert.is(await count(db, "SELECT count(*) FROM submissions WHERE status = 'Failed'"), 1);
    clock.set('2027-03-15T21:01:00-06:00');
    await until(async () => (await count(db, "SELECT count(*) FROM submissions WHERE status = 'Submitted' AND panel_id = ?", [good.panelId])) === 1);
    assert.is(await count(db, "SELECT count(*) FROM scheduled_runs WHERE job = 'monthly-run'"), 1);
    assert.is(await count(db, 'SELECT count(*) FROM inbox_messages'), 1);
    const line = describeTick(reports.find((r) => r.runs.some((run) => run.job === 'monthly-run'))!)!;
    assert.match(line, '"job":"monthly-run"');
    assert.not.match(line, 'Testperson');
  } finally {
    await running.stop();
    await simulator.close();
    db.close();
  }
});

scheduler('a tick that fails part-way is retried at the next interval, not at the next start or after a lapse', async () => {
  const db = await freshDb();
  const clock = new ManualClock('2027-03-15T21:00:00-06:00');
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000 });
  const netcare = adapt(simulator.url, 'sim', 'scheduler-test', { retryBudgetMs: 500, timeoutMs: 300 });
  await addClinicPanel(db, { name: 'Good' });
  const reports: TickReport[] = [];
  let failures = 0;
  // The run's first tick breaks right after claiming the run (as a lost connection would);
  // the claim would hold for a minute if the failed tick kept it.
  const checkpoint = (step: string) => {
    if (step === 'run-claimed' && failures++ === 0) throw new Error('connection lost');
  };
  const running = startScheduler({ db, clock, netcare, workerId: 'scheduler-test', claimMs: 60_000, checkpoint },
    { pollIntervalMs: 60_000, heartbeatMs: 50, log: (r) => reports.push(r) });
  try {
    await until(async () => (await count(db, 'SELECT count(*) FROM scheduled_runs WHERE finished_at IS NOT NULL')) === 1, 3_000);
    assert.is(failures, 1);
    assert.equal(reports.flatMap((r) => r.runs.map((run) => [run.job, run.resumed])), [['monthly-run', true]]);
    assert.is(await count(db, "SELECT count(*) FROM submissions WHERE status = 'Pending'"), 1);
  } finally {
    await running.stop();
    await simulator.close();
    db.close();
  }
});

scheduler('a live portal’s heartbeat keeps its run: a second portal does not take over a run slower than the lapse', async () => {
  const db = await freshDb();
  // A clock at real speed: claims lapse in real time.
  const clock = offsetClock(new Date('2027-03-15T21:00:00-06:00').getTime() - Date.now());
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000 });
  await setFault(simulator.url, { mode: 'slow', slowMs: 1_500 });
  const netcare = adapt(simulator.url, 'sim', 'scheduler-test', { retryBudgetMs: 5_000, timeoutMs: 3_000 });
  await addClinicPanel(db, { name: 'Good' });
  const reports: TickReport[] = [];
  // Claims lapse after 300 ms unless renewed; the send alone takes 1.5 s.
  const portals = ['portal-a', 'portal-b'].map((workerId) => startScheduler({ db, clock, netcare, workerId, claimMs: 300 },
    { pollIntervalMs: 60_000, heartbeatMs: 50, log: (r) => reports.push(r) }));
  try {
    await until(async () => (await count(db, 'SELECT count(*) FROM scheduled_runs WHERE finished_at IS NOT NULL')) === 1, 5_000);
    await Promise.all(portals.map((p) => p.idle()));
    assert.equal(reports.flatMap((r) => r.runs.map((run) => run.resumed)), [false], 'one portal did the run; no one took it over');
    const posts = (await simRequests(simulator.url)).filter((r) => r.method === 'POST');
    assert.is(posts.length, 1, 'the panel was sent once');
  } finally {
    await Promise.all(portals.map((p) => p.stop()));
    await simulator.close();
    db.close();
  }
});

scheduler.run();
