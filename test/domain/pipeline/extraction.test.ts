import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { validatePanel } from '../../../src/domain/panels/validation.ts';
import { freshDb } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

const extraction = suite('extraction');
const RUN = new Date('2026-11-15T21:00:00-07:00');

extraction('the last visit counts any practitioner of the clinic, up to the run’s Edmonton day', async () => {
  const db = await freshDb();
  const { panelId, patientIds } = await addClinicPanel(db, { name: 'Visits', patients: 1, withoutVisit: 3 });
  const other = Number((await db.execute("INSERT INTO practitioners (name, practitioner_id) VALUES ('Dr. Other', '999999') RETURNING id")).rows[0].id);
  const [, withOther, onlyAfter, sameDay] = patientIds;
  await db.execute({ sql: 'INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, ?, ?)', args: [withOther, other, '2026-10-30'] });
  await db.execute({ sql: 'INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, ?, ?)', args: [onlyAfter, other, '2026-11-16'] });
  // 21:00 on the 15th in Edmonton is already the 16th in UTC: a visit on the 15th counts.
  await db.execute({ sql: 'INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, ?, ?)', args: [sameDay, other, '2026-11-15'] });
  const snapshot = (await extractPanel(db, panelId, RUN))!;
  const byId = new Map(snapshot.patients.map((p) => [p.patientId, p]));
  assert.is(byId.get(withOther)!.lastVisitOn, '2026-10-30');
  assert.is(byId.get(onlyAfter)!.lastVisitOn, null);
  assert.is(byId.get(sameDay)!.lastVisitOn, '2026-11-15');
  assert.equal(validatePanel(snapshot).failures.map((f) => [f.reason, f.patientIds]), [['no_last_visit', [onlyAfter]]]);
});

extraction('inactive, deceased and moved-away patients are not in the snapshot nor counted', async () => {
  const db = await freshDb();
  const { panelId, patientIds } = await addClinicPanel(db, { name: 'Statuses', patients: 5 });
  const statuses = ['inactive', 'deceased', 'moved_away'];
  for (const [i, status] of statuses.entries()) {
    await db.execute({ sql: 'UPDATE patients SET status = ?, id = id WHERE id = ?', args: [status, patientIds[i]] });
  }
  const snapshot = (await extractPanel(db, panelId, RUN))!;
  assert.equal(snapshot.patients.map((p) => p.patientId), patientIds.slice(3));
});

extraction('the confirmation date is the one for this panel', async () => {
  const db = await freshDb();
  const a = await addClinicPanel(db, { name: 'A', patients: 1 });
  const b = await addClinicPanel(db, { name: 'B', patients: 0 });
  await db.execute({ sql: 'INSERT INTO panel_members (panel_id, patient_id, confirmed_on) VALUES (?, ?, NULL)', args: [b.panelId, a.patientIds[0]] });
  assert.is((await extractPanel(db, a.panelId, RUN))!.patients[0].confirmedOn, '2026-06-01');
  assert.is((await extractPanel(db, b.panelId, RUN))!.patients[0].confirmedOn, null);
});

extraction('practitioners come with their Practitioner IDs; a missing panel is null', async () => {
  const db = await freshDb();
  const p = await addClinicPanel(db, { name: 'Two doctors', practitioners: [{ name: 'Dr. B', practitionerId: '  ' }, { name: 'Dr. A', practitionerId: '111111' }] });
  const snapshot = (await extractPanel(db, p.panelId, RUN))!;
  assert.equal(snapshot.practitioners, [{ name: 'Dr. A', practitionerId: '111111' }, { name: 'Dr. B', practitionerId: '  ' }]);
  assert.is(validatePanel(snapshot).briefError, 'Dr. B has no Practitioner ID recorded.');
  assert.is(await extractPanel(db, 12345, RUN), null);
});

extraction.run();
