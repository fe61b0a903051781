import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import type { PipelineDeps } from '../../../src/domain/pipeline/pipeline.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import { startTestSimulator } from '../../netcare/support/simulator.ts';
import { freshDb, addUser } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

// March's monthly run (the 15th, 21:00) missed until the 17th: the run takes the whole
// snapshot on the 17th, as readiness would at that moment.
const late = suite('a late run is one consistent snapshot');

late('caught up on the 17th, a patient confirmed on the 16th and one whose only visit was the 16th are sent', async () => {
  const db = await freshDb();
  const clock = new ManualClock('2027-03-17T10:00:00-06:00');
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000 });
  try {
    const netcare = adapt(simulator.url, 'test simulator', 'test-installation', { retryBudgetMs: 1_000, timeoutMs: 500, baseDelayMs: 20 });
    const deps: PipelineDeps = { db, clock, netcare, workerId: 'late-test' };
    const recipient = await addUser(db, 'jsmith');
    const { panelId, patientIds: [confirmedLate, visitedLate] } = await addClinicPanel(db, { name: 'Late', patients: 3, recipient });
    await db.execute({ sql: "UPDATE panel_members SET confirmed_on = '2027-03-16' WHERE panel_id = ? AND patient_id = ?", args: [panelId, confirmedLate] });
    await db.execute({ sql: "UPDATE visits SET visit_date = '2027-03-16' WHERE patient_id = ?", args: [visitedLate] });

    clock.set('2027-03-14T12:00:00-06:00');
    assert.equal((await tick(deps)).runs, [], 'the portal was in service before the 15th');
    clock.set('2027-03-17T10:00:00-06:00');
    const report = await tick(deps);
    assert.equal(report.runs.map((r) => [r.job, r.late, r.outcomes.pending, r.outcomes.invalid]), [['monthly-run', true, 1, 0]]);
    const sent = (await db.execute({ sql: 'SELECT status, patient_count, brief_error FROM submissions WHERE panel_id = ?', args: [panelId] })).rows[0];
    assert.equal([sent.status, sent.patient_count, sent.brief_error], ['Pending', 3, null]);
  } finally {
    await simulator.close();
    db.close();
  }
});

late.run();
