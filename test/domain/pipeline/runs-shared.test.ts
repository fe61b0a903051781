import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import type { PipelineDeps } from '../../../src/domain/pipeline/pipeline.ts';
import { DEFAULT_CLAIM_LAPSE_MS } from '../../../src/domain/pipeline/claims.ts';
import type { Db } from '../../../src/domain/database/db.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import { simSubmissions, startTestSimulator } from '../../netcare/support/simulator.ts';
import { freshDb, addUser } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

// Several portals on one database share a run: one holds it, the others take a share of its
// panels, each claimed on its own, and the run is finished only when none is left to send.
const shared = suite('a monthly run shared by several portals');
const RUN = new Date('2027-03-15T21:00:00-06:00');

async function setUp(panels: number) {
  const db = await freshDb();
  const clock = new ManualClock('2027-03-14T12:00:00-06:00');
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000 });
  const netcare = adapt(simulator.url, 'test simulator', 'test-installation', { retryBudgetMs: 1_000, timeoutMs: 500, baseDelayMs: 20 });
  const portal = (workerId: string): PipelineDeps => ({ db, clock, netcare, workerId });
  const recipient = await addUser(db, 'jsmith');
  const panelIds: number[] = [];
  for (let i = 0; i < panels; i++) panelIds.push((await addClinicPanel(db, { name: `Shared ${i}`, patients: 2, recipient })).panelId);
  assert.equal((await tick(portal('a'))).runs, [], 'in service before the 15th');
  clock.set(RUN);
  return { db, clock, simulator, portal, panelIds };
}

const runRow = async (db: Db) => (await db.execute("SELECT claimed_by, finished_at FROM scheduled_runs WHERE job = 'monthly-run'")).rows[0];
const statuses = async (db: Db) => (await db.execute('SELECT status FROM submissions ORDER BY panel_id')).rows.map((r) => r.status);

shared('a portal that finds another\'s run in progress sends its panels; the run stays the holder\'s, and is finished when its claim lapses', async () => {
  const { db, clock, simulator, portal, panelIds } = await setUp(3);
  try {
    // Portal a has claimed the run and queued every panel (queueMonthlySubmissions), and is busy.
    const run = await db.execute({
      sql: `INSERT INTO scheduled_runs (job, scheduled_for, started_at, late, claimed_by, claimed_until)
            VALUES ('monthly-run', ?, ?, 0, 'a', ?) RETURNING id`,
      args: [RUN.getTime(), RUN.getTime(), RUN.getTime() + DEFAULT_CLAIM_LAPSE_MS],
    });
    for (const panelId of panelIds) {
      await db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, run_id) VALUES (?, 'Queued', ?, 'scheduled', ?)",
        args: [panelId, RUN.getTime(), Number(run.rows[0].id)] });
    }
    const report = await tick(portal('b'), RUN, { poll: false });
    assert.equal(report.runs, [], 'b holds no run');
    assert.is(report.helped?.pending, 3, 'b sent every panel of a\'s run');
    assert.equal(await statuses(db), ['Pending', 'Pending', 'Pending']);
    assert.equal([(await runRow(db)).claimed_by, (await runRow(db)).finished_at], ['a', null], 'still a\'s run');
    assert.ok((await simSubmissions(simulator.url)).every((s) => s.receivedCount === 1), 'each panel sent once');

    clock.advance(DEFAULT_CLAIM_LAPSE_MS); // a is gone: b takes the run over, finds nothing left, finishes it
    const takeover = await tick(portal('b'), RUN, { poll: false });
    assert.equal(takeover.runs.map((r) => [r.resumed, r.outcomes.pending, r.outcomes.skipped]), [[true, 0, 0]]);
    assert.ok((await runRow(db)).finished_at !== null);
  } finally {
    await simulator.close();
    db.close();
  }
});

shared('a run whose holder is done while another portal still holds one of its panels is handed over, and finished by the next', async () => {
  const { db, clock, simulator, portal, panelIds: [held, free] } = await setUp(2);
  try {
    // Portal b has claimed one panel (queued before the run) and then stopped answering.
    await db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger, claimed_by, claimed_until) VALUES (?, 'Queued', ?, 'scheduled', 'b', ?)",
      args: [held, RUN.getTime() - 60_000, RUN.getTime() + DEFAULT_CLAIM_LAPSE_MS] });
    const first = await tick(portal('a'), RUN, { poll: false });
    assert.equal(first.runs.map((r) => [r.outcomes.pending, r.outcomes.skipped]), [[1, 1]], 'a sent its panel and skipped b\'s');
    assert.equal([(await runRow(db)).claimed_by, (await runRow(db)).finished_at], [null, null], 'handed over, not finished');
    const [heldRow, freeRow] = (await db.execute({ sql: 'SELECT panel_id, status FROM submissions WHERE panel_id IN (?, ?) ORDER BY panel_id = ?', args: [held, free, free] })).rows;
    assert.equal([heldRow.status, freeRow.status], ['Queued', 'Pending']);

    clock.advance(DEFAULT_CLAIM_LAPSE_MS); // b's claim lapses: whoever ticks next sends its panel and finishes the run
    const next = await tick(portal('c'), RUN, { poll: false });
    assert.equal(next.runs.map((r) => [r.resumed, r.outcomes.pending]), [[true, 1]]);
    assert.ok((await runRow(db)).finished_at !== null);
    assert.equal(await statuses(db), ['Pending', 'Pending']);
    assert.ok((await simSubmissions(simulator.url)).every((s) => s.receivedCount === 1), 'each panel sent once');
  } finally {
    await simulator.close();
    db.close();
  }
});

shared.run();
