import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import type { PipelineDeps } from '../../../src/domain/pipeline/pipeline.ts';
import { CONCURRENCY } from '../../../src/domain/pipeline/concurrency.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import { startTestSimulator, simSubmissions } from '../../netcare/support/simulator.ts';
import { freshDb, addUser, count } from '../../support/app.ts';
import { searchAudit } from '../../../src/domain/audit/audit-query.ts';
import { addClinicPanel } from '../../support/clinic.ts';

// The monthly run of March 2027 (after DST started on the 14th): 21:00 MDT.
const RUN = '2027-03-15T21:00:00-06:00';
const MINUTE = 60_000;

async function world(options: { confirmDelayMs?: number; retryBudgetMs?: number; timeoutMs?: number } = {}) {
  const db = await freshDb();
  const clock = new ManualClock(RUN);
  const simulator = await startTestSimulator({ clock, confirmDelayMs: options.confirmDelayMs ?? 30_000 });
  const netcare = adapt(simulator.url, 'test simulator', 'test-installation', {
    retryBudgetMs: options.retryBudgetMs ?? 1_000, timeoutMs: options.timeoutMs ?? 500, baseDelayMs: 20,
  });
  const deps: PipelineDeps = { db, clock, netcare, workerId: 'test-worker' };
  const recipient = await addUser(db, 'jsmith');
  return { db, clock, simulator, deps, recipient, close: async () => { await simulator.close(); db.close(); } };
}

async function latest(db: Db, panelId: number) {
  const r = await db.execute({ sql: 'SELECT * FROM submissions WHERE panel_id = ? ORDER BY id DESC LIMIT 1', args: [panelId] });
  return r.rows[0];
}

async function messagesFor(db: Db, submissionId: unknown) {
  return (await db.execute({ sql: 'SELECT * FROM inbox_messages WHERE submission_id = ?', args: [Number(submissionId)] })).rows;
}

const pipeline = suite('monthly run');

pipeline('valid panels go Pending then Submitted; invalid ones Failed with the brief error and one message', async () => {
  const w = await world();
  try {
    const good = await addClinicPanel(w.db, { name: 'Good', patients: 4, recipient: w.recipient });
    const noConfirm = await addClinicPanel(w.db, { name: 'Unconfirmed', patients: 2, withoutConfirmation: 12, recipient: w.recipient });
    const regular = await addClinicPanel(w.db, { name: 'Regular', cpar: false });
    const report = await tick(w.deps);
    assert.equal(report.runs.map((r) => [r.job, r.late, r.queuedByRun]), [['monthly-run', false, 2]]);
    assert.equal(report.runs[0].outcomes, { skipped: 0, invalid: 1, pending: 1, unanswered: 0, rejected: 0, unreachable: 0 });

    const sent = await latest(w.db, good.panelId);
    assert.is(sent.status, 'Pending');
    assert.is(sent.patient_count, 4);
    assert.match(String(sent.netcare_reference), /^NC-/);
    assert.is(sent.trigger, 'scheduled');

    const failed = await latest(w.db, noConfirm.panelId);
    assert.is(failed.status, 'Failed');
    assert.is(failed.brief_error, '12 patients have no confirmation date for this panel.');
    assert.is(failed.patient_count, 14);
    assert.is(failed.recipient_notified, 1);
    assert.is(await count(w.db, "SELECT count(*) FROM submission_problems WHERE submission_id = ? AND reason = 'no_confirmation_date' AND patient_id IS NOT NULL", [Number(failed.id)]), 12);
    const messages = await messagesFor(w.db, failed.id);
    assert.is(messages.length, 1);
    assert.is(messages[0].recipient_id, w.recipient);
    assert.match(String(messages[0].body), '12 patients have no confirmation date');
    assert.not.match(String(messages[0].body), 'Testperson');
    assert.is(await count(w.db, 'SELECT count(*) FROM submissions WHERE panel_id = ?', [regular.panelId]), 0);
    assert.is((await simSubmissions(w.simulator.url)).length, 1, 'a failed submission sends nothing to Netcare');
    const disclosed = (await w.db.execute("SELECT object_type, object_id, patient_count, username FROM audit_log WHERE action = 'submit'")).rows;
    assert.equal(disclosed.map((r) => [r.object_type, r.object_id, r.patient_count, r.username]), [['panel', String(good.panelId), 4, 'CPAR scheduler']]);
    const members = (await w.db.execute({ sql: 'SELECT pt.uli FROM panel_members m JOIN patients pt ON pt.id = m.patient_id WHERE m.panel_id = ?', args: [good.panelId] })).rows;
    const kept = JSON.parse(String((await w.db.execute("SELECT disclosed_ulis FROM audit_log WHERE action = 'submit'")).rows[0].disclosed_ulis));
    assert.equal([...kept].sort(), members.map((r) => String(r.uli)).sort(), 'the disclosure keeps every ULI sent');
    for (const { uli } of members) {
      assert.equal((await searchAudit(w.db, { uli: String(uli), page: 1 })).rows.map((r) => r.action), ['submit'], 'the ULI filter finds the send');
    }

    w.clock.advance(MINUTE);
    const second = await tick(w.deps);
    assert.equal(second.runs, []);
    assert.is(second.polled.submitted, 1);
    assert.is((await latest(w.db, good.panelId)).status, 'Submitted');
  } finally {
    await w.close();
  }
});

pipeline('a second tick at the same instant does nothing; so do simultaneous ticks', async () => {
  const w = await world();
  try {
    const a = await addClinicPanel(w.db, { name: 'A' });
    await addClinicPanel(w.db, { name: 'B' });
    const [one, two] = await Promise.all([tick(w.deps), tick(w.deps)]);
    assert.is(one.runs.length + two.runs.length, 1);
    const again = await tick(w.deps);
    assert.equal(again.runs, []);
    assert.is(await count(w.db, 'SELECT count(*) FROM scheduled_runs'), 1);
    assert.is(await count(w.db, 'SELECT count(*) FROM submissions WHERE panel_id = ?', [a.panelId]), 1);
    assert.is(await count(w.db, 'SELECT count(*) FROM submissions'), 2);
    assert.is((await simSubmissions(w.simulator.url)).length, 2);
  } finally {
    await w.close();
  }
});

pipeline('a panel already Queued is taken as it is, never duplicated', async () => {
  const w = await world();
  try {
    const p = await addClinicPanel(w.db, { name: 'Queued before', recipient: w.recipient });
    await w.db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, triggered_by) VALUES (?, 'Queued', ?, 'manual', ?)", args: [p.panelId, new Date('2027-03-14T10:00:00-06:00').getTime(), w.recipient] });
    const report = await tick(w.deps);
    assert.is(report.runs[0].queuedByRun, 0);
    assert.is(await count(w.db, 'SELECT count(*) FROM submissions WHERE panel_id = ?', [p.panelId]), 1);
    const s = await latest(w.db, p.panelId);
    assert.is(s.status, 'Pending');
    assert.is(s.trigger, 'manual');
  } finally {
    await w.close();
  }
});

pipeline('a run missed while the portal was down is done once, late', async () => {
  const w = await world();
  try {
    const p = await addClinicPanel(w.db, { name: 'Late' });
    w.clock.set('2027-03-14T12:00:00-06:00');
    assert.equal((await tick(w.deps)).runs, [], 'the portal ran the day before');
    w.clock.set('2027-03-15T23:00:00-06:00');
    const report = await tick(w.deps);
    assert.equal(report.runs.map((r) => [r.job, r.scheduledFor.toISOString(), r.late]), [['monthly-run', '2027-03-16T03:00:00.000Z', true]]);
    assert.is(await count(w.db, 'SELECT count(*) FROM scheduled_runs WHERE late = 1'), 1);
    w.clock.set('2027-03-16T09:00:00-06:00');
    assert.equal((await tick(w.deps)).runs, []);
    assert.is(await count(w.db, 'SELECT count(*) FROM submissions WHERE panel_id = ?', [p.panelId]), 1);
  } finally {
    await w.close();
  }
});

pipeline('queued panels go out at 21:00 on the allowed days and wait after the 21st', async () => {
  const w = await world();
  try {
    const p = await addClinicPanel(w.db, { name: 'Manual' });
    const queue = (at: string) => w.db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, triggered_by) VALUES (?, 'Queued', ?, 'manual', ?)", args: [p.panelId, new Date(at).getTime(), w.recipient] });
    const status = async () => (await latest(w.db, p.panelId)).status;
    // March's monthly run was done on time; the 9th's send, owed at 20:00, had nothing to send.
    await w.db.execute({ sql: "INSERT INTO scheduled_runs (job, scheduled_for, started_at, finished_at) VALUES ('monthly-run', ?1, ?1, ?1)", args: [new Date('2027-03-15T21:00:00-06:00').getTime()] });
    w.clock.set('2027-04-10T20:00:00-06:00');
    assert.equal((await tick(w.deps)).runs, []);
    await queue('2027-04-10T20:30:00-06:00');
    w.clock.set('2027-04-10T21:00:00-06:00');
    assert.equal((await tick(w.deps)).runs.map((r) => [r.job, r.late]), [['queued-run', false]]);
    assert.is(await status(), 'Pending');

    await w.db.execute({ sql: "UPDATE submissions SET status = 'Submitted', submitted_at = 1 WHERE panel_id = ?", args: [p.panelId] });
    w.clock.set('2027-04-10T21:30:00-06:00');
    await queue('2027-04-10T21:30:00-06:00');
    await tick(w.deps);
    assert.is(await status(), 'Queued', 'queued after tonight’s run: it waits for tomorrow');
    w.clock.set('2027-04-11T21:00:00-06:00');
    await tick(w.deps);
    assert.is(await status(), 'Pending');

    await w.db.execute({ sql: "UPDATE submissions SET status = 'Submitted', submitted_at = 1 WHERE panel_id = ?", args: [p.panelId] });
    await queue('2027-04-22T10:00:00-06:00');
    for (const at of ['2027-04-22T21:00:00-06:00', '2027-04-30T21:00:00-06:00', '2027-05-01T20:59:00-06:00']) {
      w.clock.set(at);
      await tick(w.deps);
      assert.is(await status(), 'Queued', `still waiting at ${at}`);
    }
    w.clock.set('2027-05-01T21:00:00-06:00');
    await tick(w.deps);
    assert.is(await status(), 'Pending');
  } finally {
    await w.close();
  }
});

pipeline('a panel deactivated or taken off CPAR after it was queued is not sent', async () => {
  const w = await world();
  try {
    const off = await addClinicPanel(w.db, { name: 'Retired' });
    const plain = await addClinicPanel(w.db, { name: 'No longer CPAR' });
    for (const id of [off.panelId, plain.panelId]) {
      await w.db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, triggered_by) VALUES (?, 'Queued', ?, 'manual', ?)", args: [id, new Date('2027-04-01T10:00:00-06:00').getTime(), w.recipient] });
    }
    await w.db.execute({ sql: 'UPDATE panels SET active = 0 WHERE id = ?', args: [off.panelId] });
    await w.db.execute({ sql: 'UPDATE panels SET cpar_enabled = 0 WHERE id = ?', args: [plain.panelId] });
    w.clock.set('2027-04-02T21:00:00-06:00');
    await tick(w.deps);
    assert.is((await latest(w.db, off.panelId)).status, 'Queued');
    assert.is((await latest(w.db, plain.panelId)).status, 'Queued');
    assert.is((await simSubmissions(w.simulator.url)).length, 0);
  } finally {
    await w.close();
  }
});

pipeline('a run and other writes of the same process interleave without lock waits', async () => {
  const w = await world();
  try {
    for (let i = 0; i < 8; i++) await addClinicPanel(w.db, { name: `Invalid ${i}`, withoutConfirmation: 2, recipient: w.recipient });
    const started = Date.now();
    const writes = Array.from({ length: 40 }, (_, i) =>
      w.db.execute({ sql: "INSERT INTO inbox_messages (recipient_id, subject, body, created_at) VALUES (?, 'other', 'write', ?)", args: [w.recipient, i] }));
    const [report] = await Promise.all([tick(w.deps), ...writes]);
    assert.is(report.runs[0].outcomes.invalid, 8);
    assert.ok(Date.now() - started < 3_000, `took ${Date.now() - started} ms`);
    assert.is(await count(w.db, 'SELECT count(*) FROM inbox_messages WHERE submission_id IS NOT NULL'), 8);
  } finally {
    await w.close();
  }
});

/** Netcare as the run reaches it, counting the most sends in flight at once. */
function countingSends(real: PipelineDeps['netcare']) {
  let now = 0;
  let most = 0;
  const netcare = { ...real, async send(...args: Parameters<typeof real.send>) {
    most = Math.max(most, ++now);
    try {
      return await real.send(...args);
    } finally {
      now--;
    }
  } };
  return { netcare, most: () => most };
}

pipeline('panels are prepared ahead, but never more than four requests go to Netcare at once', async () => {
  const w = await world();
  try {
    for (let i = 0; i < 14; i++) await addClinicPanel(w.db, { name: `Panel ${i}`, patients: 3, recipient: w.recipient });
    const { netcare, most } = countingSends(w.deps.netcare);
    const report = await tick({ ...w.deps, netcare });
    assert.is(report.runs[0].outcomes.pending, 14);
    assert.ok(most() <= CONCURRENCY, `${most()} requests at once`);
    assert.ok(most() > 1, 'the sends overlap');
  } finally {
    await w.close();
  }
});

pipeline('fewer panels than are in progress still overlap; what they became is committed with the next claims, not one commit each', async () => {
  const w = await world();
  try {
    for (let i = 0; i < 3; i++) await addClinicPanel(w.db, { name: `Small ${i}`, patients: 2, recipient: w.recipient });
    for (let i = 0; i < 2; i++) await addClinicPanel(w.db, { name: `Invalid ${i}`, withoutConfirmation: 1, recipient: w.recipient });
    const { netcare, most } = countingSends(w.deps.netcare);
    let writes = 0;
    const batch = w.db.batch.bind(w.db);
    w.db.batch = (stmts, mode) => {
      if (mode === 'write') writes++;
      return batch(stmts, mode);
    };
    const report = await tick({ ...w.deps, netcare }, w.clock.now(), { poll: false });
    assert.equal(report.runs[0].outcomes, { skipped: 0, invalid: 2, pending: 3, unanswered: 0, rejected: 0, unreachable: 0 });
    assert.ok(most() > 1, 'the sends overlap');
    // Queueing, one claim of all five, what they became, the run's end (one commit per panel would be 8 or more).
    assert.ok(writes <= 4, `${writes} write commits`);
    assert.is(await count(w.db, "SELECT count(*) FROM submissions WHERE status = 'Pending'"), 3);
    assert.is(await count(w.db, 'SELECT count(*) FROM inbox_messages WHERE submission_id IS NOT NULL'), 2);
    assert.is(await count(w.db, "SELECT count(*) FROM audit_log WHERE action = 'submit'"), 3);
  } finally {
    await w.close();
  }
});

pipeline.run();
