import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { seedDemo } from '../../../src/domain/demo/demo-seed.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { panelReadiness, readinessOfCparPanels } from '../../../src/domain/panels/readiness.ts';
import { CARRY_DAYS } from '../../../src/domain/panels/readiness-carry.ts';
import { judgementOf, validatePanel, type Judgement } from '../../../src/domain/panels/validation.ts';

/** Readiness's verdict and reasons, without the warnings it shows beside them (they fail nothing). */
const verdict = ({ warnings: _, ...judgement }: Judgement) => judgement;
import { freshDb } from '../../support/app.ts';

const readiness = suite('readiness');

readiness('for every panel of the demo clinic, readiness is exactly the pipeline’s verdict and reasons', async () => {
  const db = await freshDb();
  const now = new Date('2026-11-26T12:00:00-07:00');
  await seedDemo(db, new ManualClock(now));
  // Make it harder: a visit after today and an ineligible unconfirmed patient must not count.
  await db.execute("INSERT INTO visits (patient_id, practitioner_id, visit_date) SELECT patient_id, 1, '2026-12-01' FROM panel_members LIMIT 3");
  const all = await readinessOfCparPanels(db, now);
  assert.ok(all.size >= 9);
  let failing = 0;
  for (const [panelId, validation] of all) {
    const expected = judgementOf(validatePanel((await extractPanel(db, panelId, now))!));
    assert.equal(verdict(validation), expected, `panel ${panelId}`);
    if (!validation.ok) failing++;
  }
  assert.ok(failing >= 5, 'the demo’s failing panels fail');
  const some = [...all.keys()].slice(0, 2);
  const chosen = await readinessOfCparPanels(db, now, some);
  assert.equal([...chosen.keys()].sort(), [...some].sort());
});

readiness('a stored judgement is dropped by any change the rules look at, and by a new day', async () => {
  const db = await freshDb();
  const { addClinicPanel } = await import('../../support/clinic.ts');
  const { panelId, patientIds } = await addClinicPanel(db, { name: 'Watched', patients: 2, withoutVisit: 1, withoutConfirmation: 1 });
  const now = new Date('2026-11-26T12:00:00-07:00');
  const stored = async () => Number((await db.execute({ sql: 'SELECT count(*) AS n FROM panel_readiness WHERE panel_id = ?', args: [panelId] })).rows[0].n);
  const other = Number((await db.execute("INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES ('123123123', 'Else', 'Someone', '1990-01-01', 'M') RETURNING id")).rows[0].id);
  const changes: [string, string, (string | number)[]][] = [
    ['confirmation', 'UPDATE panel_members SET confirmed_on = ? WHERE panel_id = ? AND patient_id = ?', ['2026-11-20', panelId, patientIds[3]]],
    ['visit', 'INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, 1, ?)', [patientIds[2], '2026-11-01']],
    ['patient status', "UPDATE patients SET status = 'inactive' WHERE id = ?", [patientIds[0]]],
    ['member removed', 'DELETE FROM panel_members WHERE panel_id = ? AND patient_id = ?', [panelId, patientIds[0]]],
    ['member added', 'INSERT INTO panel_members (panel_id, patient_id) VALUES (?, ?)', [panelId, patientIds[0]]],
    ['panel name', 'UPDATE panels SET name = ? WHERE id = ?', ['x'.repeat(300), panelId]],
    ['Practitioner ID', "UPDATE practitioners SET practitioner_id = NULL WHERE id = 1", []],
    ['visit date', 'UPDATE visits SET visit_date = ? WHERE patient_id = ?', ['2026-12-01', patientIds[1]]],
    ['member’s patient', 'UPDATE panel_members SET patient_id = ? WHERE panel_id = ? AND patient_id = ?', [other, panelId, patientIds[0]]],
  ];
  await readinessOfCparPanels(db, now);
  for (const [what, sql, args] of changes) {
    assert.is(await stored(), 1, `stored before the ${what}`);
    await db.execute({ sql, args });
    assert.is(await stored(), 0, `dropped by the ${what}`);
    const fresh = await readinessOfCparPanels(db, now);
    assert.equal(verdict(fresh.get(panelId)!), judgementOf(validatePanel((await extractPanel(db, panelId, now))!)), `fresh after the ${what}`);
  }
  // Today's row is read as it is (here, tampered with); tomorrow's is today's carried forward
  // (the tampered count comes along), and one more than CARRY_DAYS later is gathered afresh.
  await db.execute("UPDATE panel_readiness SET facts = json_set(facts, '$.withoutConfirmation', 9)");
  const today = await readinessOfCparPanels(db, now);
  assert.ok(today.get(panelId)!.briefError?.includes('9 patients have no confirmation date'));
  const tomorrow = await readinessOfCparPanels(db, new Date('2026-11-27T08:00:00-07:00'));
  assert.ok(tomorrow.get(panelId)!.briefError?.includes('9 patients'), 'carried, not gathered');
  assert.is(Number((await db.execute('SELECT count(*) AS n FROM panel_readiness WHERE as_of_day = ?', ['2026-11-27'])).rows[0].n), 1);
  const later = await readinessOfCparPanels(db, new Date(Date.parse('2026-11-27T08:00:00-07:00') + (CARRY_DAYS + 1) * 86_400_000));
  assert.not.ok(later.get(panelId)!.briefError?.includes('9 patients'), 'gathered afresh');
});

readiness('a visit on the day itself counts as the last visit, in readiness as in the run', async () => {
  const db = await freshDb();
  const { addClinicPanel } = await import('../../support/clinic.ts');
  const { panelId, patientIds } = await addClinicPanel(db, { name: 'Seen today', patients: 1, withoutVisit: 1 });
  await db.execute({ sql: "INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, 1, '2026-11-26')", args: [patientIds[1]] });
  const lastMinute = new Date('2026-11-26T23:59:59-07:00');
  for (const ids of [undefined, [panelId]]) {
    await db.execute('DELETE FROM panel_readiness');
    assert.is((await readinessOfCparPanels(db, lastMinute, ids)).get(panelId)!.ok, true, `ids ${ids}`);
  }
  assert.is((await panelReadiness(db, panelId, lastMinute))!.ok, true);
});

readiness('readiness changes at Edmonton midnight: a visit dated tomorrow counts from tomorrow, not before', async () => {
  const db = await freshDb();
  const { addClinicPanel } = await import('../../support/clinic.ts');
  const { panelId, patientIds } = await addClinicPanel(db, { name: 'Seen tomorrow', patients: 1, withoutVisit: 1 });
  await db.execute({ sql: "INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, 1, '2026-11-27')", args: [patientIds[1]] });
  const before = new Date('2026-11-27T06:59:59.999Z'); // 23:59:59.999 on the 26th in Edmonton
  const after = new Date('2026-11-27T07:00:00Z');
  for (const ids of [undefined, [panelId]]) {
    assert.equal((await readinessOfCparPanels(db, before, ids)).get(panelId)!.briefError, '1 patient has no last visit date.');
    assert.equal((await panelReadiness(db, panelId, before))!.briefError, '1 patient has no last visit date.');
    assert.is((await readinessOfCparPanels(db, after, ids)).get(panelId)!.ok, true, 'the stored facts of the 26th are not read on the 27th');
    assert.is((await panelReadiness(db, panelId, after))!.ok, true);
    await db.execute('DELETE FROM panel_readiness');
  }
});

readiness.run();
