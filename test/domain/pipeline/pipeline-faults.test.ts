import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import { processSubmission, type PipelineDeps } from '../../../src/domain/pipeline/pipeline.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { failSubmission } from '../../../src/domain/submissions/failures.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import type { Fault } from '../../../src/netcare-sim/fault.ts';
import { startTestSimulator, setFault, simSubmissions } from '../../netcare/support/simulator.ts';
import { freshDb, addUser, count } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

const RUN = '2027-03-15T21:00:00-06:00';
const HOUR = 3600_000;

/** Timeouts long enough that an answer is never mistaken, on a loaded machine, for no answer. */
const ANSWERED = { retryBudgetMs: 1500, timeoutMs: 1000 };

async function world(confirmDelayMs = 30_000, timeouts = ANSWERED) {
  const db = await freshDb();
  const clock = new ManualClock(RUN);
  const simulator = await startTestSimulator({ clock, confirmDelayMs });
  const netcare = adapt(simulator.url, 'test simulator', 'faults', { ...timeouts, baseDelayMs: 20 });
  const deps: PipelineDeps = { db, clock, netcare, workerId: 'worker-a' };
  const recipient = await addUser(db, 'jsmith');
  const panel = await addClinicPanel(db, { name: 'Faulty', patients: 3, recipient });
  return { db, clock, simulator, deps, recipient, panel, close: async () => { await simulator.close(); db.close(); } };
}

async function only(db: Db) {
  const rows = (await db.execute('SELECT * FROM submissions')).rows;
  assert.is(rows.length, 1);
  return rows[0];
}

async function messageCount(db: Db) {
  return count(db, "SELECT count(*) FROM inbox_messages WHERE kind = 'failure'");
}

const faults = suite('pipeline under Netcare faults');

const CERTAIN_FAILURES: [string, Fault, string][] = [
  ['500 on every request', { mode: '500' }, 'Netcare answered with an error (HTTP 500).'],
  ['429 on every request', { mode: '429' }, 'Netcare answered with an error (HTTP 429).'],
];

for (const [title, fault, brief] of CERTAIN_FAILURES) {
  faults(`Netcare ${title}: Failed "${brief}", one message, a retry queued`, async () => {
    const w = await world();
    try {
      await setFault(w.simulator.url, fault);
      const started = Date.now();
      await tick(w.deps);
      assert.ok(Date.now() - started < 5_000, 'gave up within the retry budget');
      const [failed, retry] = (await w.db.execute('SELECT * FROM submissions ORDER BY id')).rows;
      assert.equal([failed.status, failed.brief_error, retry.status, retry.automatic_retry, retry.retry_of], ['Failed', brief, 'Queued', 1, failed.id]);
      assert.is(await messageCount(w.db), 1);
      await tick(w.deps);
      assert.is(await messageCount(w.db), 1);
    } finally {
      await w.close();
    }
  });
}

for (const [title, fault] of [['slow beyond the timeout', { mode: 'slow', slowMs: 2_000 }], ['hanging', { mode: 'hang' }]] as [string, Fault][]) {
  faults(`Netcare ${title}: Pending without a reference, no message, nothing queued again`, async () => {
    const w = await world();
    try {
      await setFault(w.simulator.url, fault);
      await tick(w.deps);
      const s = await only(w.db);
      assert.equal([s.status, s.netcare_reference, s.brief_error, s.snapshot_at], ['Pending', null, null, new Date(RUN).getTime()]);
      assert.is(await messageCount(w.db), 0);
    } finally {
      await w.close();
    }
  });
}

faults('Netcare down (nothing listening): Failed "could not be reached", one message', async () => {
  const w = await world();
  try {
    await w.simulator.close();
    await tick(w.deps);
    const [s] = (await w.db.execute('SELECT * FROM submissions ORDER BY id')).rows;
    assert.is(s.status, 'Failed');
    assert.is(s.brief_error, 'Netcare could not be reached.');
    assert.is(await messageCount(w.db), 1);
  } finally {
    w.db.close();
  }
});

faults('unanswered, still unknown for 24 hours while Netcare is down: Failed as unconfirmed, one message, no retry', async () => {
  const w = await world();
  try {
    await setFault(w.simulator.url, { mode: 'hang' });
    await tick(w.deps);
    w.clock.advance(23 * HOUR);
    await tick(w.deps);
    assert.is((await only(w.db)).status, 'Pending');
    w.clock.advance(HOUR);
    await tick(w.deps);
    const s = await only(w.db);
    assert.equal([s.status, s.brief_error], ['Failed', 'No confirmation from Netcare within 24 hours.']);
    assert.is(await messageCount(w.db), 1);
  } finally {
    await w.close();
  }
});

faults('a key Netcare never received is sent again with the same key and the first send’s snapshot instant: the same message', async () => {
  const w = await world();
  try {
    await setFault(w.simulator.url, { mode: 'hang' });
    await tick(w.deps);
    const id = Number((await only(w.db)).id);
    await setFault(w.simulator.url, { mode: 'none' });
    w.clock.advance(2 * HOUR);
    await tick(w.deps);
    const s = await only(w.db);
    const [stored] = await simSubmissions(w.simulator.url);
    assert.equal([s.status, s.netcare_reference], ['Pending', stored.reference]);
    assert.is(await count(w.db, "SELECT count(*) FROM audit_log WHERE action = 'submit'"), 2, 'both sends audited as disclosures');
    // The first send landing now is a replay of the same message, not a key reused for another.
    const first = await w.deps.netcare.send((await extractPanel(w.db, w.panel.panelId, new Date(RUN)))!, id);
    assert.equal(first, { kind: 'accepted', reference: stored.reference });
    assert.is((await simSubmissions(w.simulator.url)).length, 1);
  } finally {
    await w.close();
  }
});

faults('an automatic retry that gets through: Submitted, Netcare holds the panel once', async () => {
  const w = await world(0);
  try {
    await setFault(w.simulator.url, { mode: '500' });
    await tick(w.deps);
    await setFault(w.simulator.url, { mode: 'none' });
    w.clock.set(new Date('2027-03-16T21:00:00-06:00'));
    await tick(w.deps);
    const rows = (await w.db.execute('SELECT status, automatic_retry FROM submissions ORDER BY id')).rows;
    assert.equal(rows.map((r) => [r.status, r.automatic_retry]), [['Failed', null], ['Submitted', 1]]);
    assert.is((await simSubmissions(w.simulator.url)).length, 1);
    assert.is(await messageCount(w.db), 1);
  } finally {
    await w.close();
  }
});

faults('a failure that has moved on is not failed again: no second message, no retry queued', async () => {
  const w = await world();
  try {
    const id = Number((await w.db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, pending_at, submitted_at) VALUES (?, 'Submitted', ?, 'scheduled', ?, ?) RETURNING id", args: [w.panel.panelId, 1, 1, 1] })).rows[0].id);
    const failed = await failSubmission(w.db, w.clock, id, { status: 'Pending' }, { briefError: 'Netcare could not be reached.', problems: [], transient: true });
    assert.is(failed, false);
    assert.equal((await only(w.db)).status, 'Submitted');
    assert.is(await messageCount(w.db), 0);
  } finally {
    await w.close();
  }
});

faults('a 500 that clears within the retry budget still sends the panel', async () => {
  const w = await world();
  try {
    await setFault(w.simulator.url, { mode: '500', count: 2 });
    await tick(w.deps);
    assert.is((await only(w.db)).status, 'Pending');
    assert.is(await messageCount(w.db), 0);
  } finally {
    await w.close();
  }
});

faults('Netcare rejects the panel: Failed with Netcare’s reason, one message', async () => {
  const w = await world(0);
  try {
    await setFault(w.simulator.url, { mode: 'reject' });
    await tick(w.deps); // sent, then the first poll sees the rejection
    const s = await only(w.db);
    assert.is(s.status, 'Failed');
    assert.match(String(s.brief_error), /^Netcare rejected the submission: /);
    assert.is(await count(w.db, "SELECT count(*) FROM submission_problems WHERE reason = 'netcare_rejected'"), 1);
    assert.is(await messageCount(w.db), 1);
    w.clock.advance(60_000);
    await tick(w.deps);
    assert.is(await messageCount(w.db), 1);
  } finally {
    await w.close();
  }
});

faults('no confirmation within 24 hours: Failed, one message', async () => {
  const w = await world(48 * HOUR);
  try {
    await tick(w.deps);
    assert.is((await only(w.db)).status, 'Pending');
    w.clock.advance(23 * HOUR);
    await tick(w.deps);
    assert.is((await only(w.db)).status, 'Pending');
    w.clock.advance(HOUR);
    await tick(w.deps);
    const s = await only(w.db);
    assert.is(s.status, 'Failed');
    assert.is(s.brief_error, 'No confirmation from Netcare within 24 hours.');
    assert.is(await messageCount(w.db), 1);
  } finally {
    await w.close();
  }
});

faults('no failure recipient: no message, and the submission says no one was notified', async () => {
  const w = await world();
  try {
    await w.db.execute('UPDATE panels SET failure_recipient_id = NULL');
    await setFault(w.simulator.url, { mode: '500' });
    await tick(w.deps);
    const [s] = (await w.db.execute('SELECT * FROM submissions ORDER BY id')).rows;
    assert.is(s.status, 'Failed');
    assert.is(s.recipient_notified, 0);
    assert.is(await messageCount(w.db), 0);
  } finally {
    await w.close();
  }
});

faults('a crash between sending and recording: the retry reuses the Idempotency-Key, Netcare keeps one', async () => {
  const w = await world();
  try {
    const created = await w.db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, triggered_by) VALUES (?, 'Queued', ?, 'manual', ?) RETURNING id", args: [w.panel.panelId, w.clock.now().getTime() - HOUR, w.recipient] });
    const id = Number(created.rows[0].id);
    // Worker A claims the submission and sends it, then dies before recording the reference.
    await w.db.execute({ sql: 'UPDATE submissions SET claimed_by = ?, claimed_until = ?, snapshot_at = ? WHERE id = ?', args: ['worker-a', w.clock.now().getTime() + 5 * 60_000, w.clock.now().getTime(), id] });
    const snapshot = (await extractPanel(w.db, w.panel.panelId, w.clock.now()))!;
    const first = await w.deps.netcare.send(snapshot, id);
    assert.is(first.kind, 'accepted');
    // Worker B cannot take it while A's claim holds…
    const b: PipelineDeps = { ...w.deps, workerId: 'worker-b' };
    assert.is(await processSubmission(b, id), 'skipped');
    // …and takes it once the claim lapses, sending the same message with the same key.
    w.clock.advance(6 * 60_000);
    assert.is(await processSubmission(b, id), 'pending');
    const s = await only(w.db);
    assert.is(s.status, 'Pending');
    assert.is(s.netcare_reference, (first as { reference: string }).reference);
    const stored = await simSubmissions(w.simulator.url);
    assert.is(stored.length, 1);
    assert.is(stored[0].receivedCount, 2);
  } finally {
    await w.close();
  }
});

faults.run();
