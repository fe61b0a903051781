// One rulebook: what readiness says before the run is what the run does, from a snapshot and
// from the members' columns, with the message check and the simulator agreeing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import type { Db } from '../../../src/domain/database/db.ts';
import { openDatabase } from '../../../src/domain/database/db.ts';
import { migrate } from '../../../src/domain/database/migrate.ts';
import { panelReadiness, readinessOfCparPanels } from '../../../src/domain/panels/readiness.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import { panelPreparation } from '../../../src/preparer/panels.ts';
import { startTestSimulator } from '../../netcare/support/simulator.ts';
import { addUser } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

const RUN = new Date('2027-03-15T21:00:00-06:00');
const rulebook = suite('one rulebook for readiness and the run');

/** The four panels of the report: readiness said Ready for all, the run failed three. */
async function reportedClinic(db: Db) {
  const recipient = await addUser(db, 'jsmith');
  const emojiName = `${'a'.repeat(200)}${'😀'.repeat(55)}`; // 255 characters, 310 UTF-16 units
  const name = await addClinicPanel(db, { name: emojiName, patients: 2, recipient });
  const longer = await addClinicPanel(db, { name: `${emojiName}b`, patients: 2, recipient });
  const born = await addClinicPanel(db, { name: 'Born tomorrow', patients: 3, recipient });
  await db.execute({ sql: "UPDATE patients SET birth_date = '2027-03-16' WHERE id = ?", args: [born.patientIds[1]] });
  const confirmed = await addClinicPanel(db, { name: 'Confirmed tomorrow', patients: 3, recipient });
  await db.execute({ sql: "UPDATE panel_members SET confirmed_on = '2027-03-16' WHERE patient_id IN (?, ?)", args: confirmed.patientIds.slice(0, 2) });
  return { name, longer, born, confirmed };
}

for (const columns of [false, true]) {
  rulebook(`readiness's verdict is the run's, message check included (${columns ? "the run's preparation from the columns" : 'from a snapshot'})`, async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'cpar-rulebook-')), 'test.db')}`;
    const db = await openDatabase(url);
    await migrate(db);
    const clock = new ManualClock(RUN);
    const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000 });
    const netcare = adapt(simulator.url, 'test simulator', 'test-installation', { retryBudgetMs: 1000, timeoutMs: 2000 });
    const preparation = columns ? panelPreparation(db, url, netcare) : null;
    try {
      const panels = await reportedClinic(db);
      const readiness = await readinessOfCparPanels(db, RUN);
      const verdicts = Object.fromEntries(Object.entries(panels).map(([k, p]) => [k, readiness.get(p.panelId)!.briefError]));
      assert.equal(verdicts, {
        name: null,
        longer: 'The panel name is longer than 255 characters (256).',
        born: '1 patient has a birth date or confirmation date in the future.',
        confirmed: '2 patients have a birth date or confirmation date in the future.',
      });
      const one = await panelReadiness(db, panels.confirmed.panelId, RUN);
      assert.equal(one!.failures.map((f) => [f.reason, f.patientIds]), [['date_in_future', panels.confirmed.patientIds.slice(0, 2)]]);

      await tick({ db, clock, netcare, workerId: 'rulebook-test', ...(preparation ? { prepare: preparation.prepare } : {}) });
      const rows = (await db.execute('SELECT panel_id, status, brief_error FROM submissions ORDER BY panel_id')).rows;
      assert.equal(rows.map((r) => [Number(r.panel_id), r.status, r.brief_error]),
        Object.values(panels).map((p) => [p.panelId, readiness.get(p.panelId)!.ok ? 'Pending' : 'Failed', readiness.get(p.panelId)!.briefError]));
      const recorded = (await db.execute('SELECT submission_id, reason, patient_id FROM submission_problems ORDER BY id')).rows;
      assert.ok(recorded.every((r) => r.reason !== 'netcare_rejected'), 'nothing the rules passed was refused by the message check');
      assert.equal(recorded.filter((r) => r.reason === 'date_in_future').map((r) => Number(r.patient_id)),
        [panels.born.patientIds[1], ...panels.confirmed.patientIds.slice(0, 2)]);
    } finally {
      await preparation?.release();
      await simulator.close();
      db.close();
    }
  });
}

rulebook.run();
