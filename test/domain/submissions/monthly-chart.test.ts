import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import { queueSubmission } from '../../../src/domain/submissions/submissions.ts';
import { monthlyPatientCounts } from '../../../src/domain/submissions/submission-history.ts';
import type { PipelineDeps } from '../../../src/domain/pipeline/pipeline.ts';
import type { Scope } from '../../../src/domain/people/permissions.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import { startTestSimulator } from '../../netcare/support/simulator.ts';
import { freshDb, addUser } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

// The 12-month chart counts the panel the monthly run sent, whoever queued it: a clerk who
// pressed Submit on the morning of the 15th must not make March a gap.
const chart = suite('the monthly chart, from a real run');

chart('a submission a clerk queued on the morning of the 15th and the monthly run sent is that month\'s bar', async () => {
  const db = await freshDb();
  const clock = new ManualClock('2027-03-15T09:30:00-06:00');
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 0 });
  try {
    const clerkId = await addUser(db, 'clerk', ['cii_cpar_settings']);
    const scope: Scope = { userId: clerkId, username: 'clerk', fullName: 'Test clerk', permissions: new Set(['cii_cpar_settings']) };
    const { panelId } = await addClinicPanel(db, { name: 'Queued by hand', patients: 7 });
    assert.ok((await queueSubmission(db, clock, scope, panelId)).ok);

    const deps: PipelineDeps = {
      db, clock, workerId: 'chart-test',
      netcare: adapt(simulator.url, 'test simulator', 'chart-test', { retryBudgetMs: 1_000, timeoutMs: 500, baseDelayMs: 20 }),
    };
    clock.set('2027-03-15T21:00:00-06:00');
    const report = await tick(deps);
    assert.equal(report.runs.map((r) => [r.job, r.queuedByRun, r.outcomes.pending]), [['monthly-run', 0, 1]], 'the run sent the clerk\'s submission');
    clock.set('2027-03-15T21:01:00-06:00');
    await tick(deps);

    const months = await monthlyPatientCounts(db, panelId, new Date('2027-03-20T12:00:00-06:00'));
    const march = months.find((m) => m.month === '2027-03')!;
    assert.is(march.patientCount, 7);
    assert.is(march.status, 'Submitted');
  } finally {
    await simulator.close();
    db.close();
  }
});

chart.run();
