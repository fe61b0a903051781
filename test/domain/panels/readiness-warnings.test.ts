import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { readinessOfCparPanels } from '../../../src/domain/panels/readiness.ts';
import { getClinicSettings, panelWarnings, parseClinicSettings, saveClinicSettings, warnedPatientIds, type WarningKind } from '../../../src/domain/panels/readiness-warnings.ts';
import { addUser, count, freshDb } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';
import { loadScope } from '../../../src/domain/people/users.ts';

const warnings = suite('readiness warnings');
let db: Db;
let a: { panelId: number; patientIds: number[] };
let b: { panelId: number; patientIds: number[] };
// 2026-12-05 in Edmonton: three years back is 2023-12-05.
const now = new Date('2026-12-05T12:00:00-07:00');

const counts = async (panelId: number, at = now) => {
  const judged = (await readinessOfCparPanels(db, at, [panelId])).get(panelId)!;
  return Object.fromEntries((judged.warnings ?? []).map((w) => [w.kind, w.count])) as Partial<Record<WarningKind, number>>;
};

warnings.before.each(async () => {
  db = await freshDb();
  a = await addClinicPanel(db, { name: 'A', patients: 4 });
  b = await addClinicPanel(db, { name: 'B', patients: 2 });
});

warnings('a patient on two CPAR panels of the clinic warns on both; the panels stay Ready', async () => {
  await db.execute({ sql: "INSERT INTO panel_members (panel_id, patient_id, confirmed_on) VALUES (?, ?, '2026-06-01')", args: [b.panelId, a.patientIds[0]] });
  // Gathered for every panel at once (the set of shared patients), then for one (member by member).
  const all = await readinessOfCparPanels(db, now);
  assert.equal([a.panelId, b.panelId].map((id) => all.get(id)!.warnings!.map((w) => [w.kind, w.count])), [[['on_other_panel', 1]], [['on_other_panel', 1]]]);
  await db.execute('DELETE FROM panel_readiness');
  assert.equal(await counts(a.panelId), { on_other_panel: 1 });
  assert.equal(await counts(b.panelId), { on_other_panel: 1 });
  assert.ok((await readinessOfCparPanels(db, now, [a.panelId])).get(a.panelId)!.ok, 'a warning fails nothing');
  assert.equal(await warnedPatientIds(db, a.panelId, 'on_other_panel', '2026-12-05'), [a.patientIds[0]]);
  // The stored facts of A are dropped when the patient leaves B, and when B leaves CPAR.
  await db.execute({ sql: 'DELETE FROM panel_members WHERE panel_id = ? AND patient_id = ?', args: [b.panelId, a.patientIds[0]] });
  assert.equal(await counts(a.panelId), {});
  await db.execute({ sql: "INSERT INTO panel_members (panel_id, patient_id, confirmed_on) VALUES (?, ?, '2026-06-01')", args: [b.panelId, a.patientIds[0]] });
  assert.equal(await counts(a.panelId), { on_other_panel: 1 });
  await db.execute({ sql: 'UPDATE panels SET cpar_enabled = 0, panel_number = NULL WHERE id = ?', args: [b.panelId] });
  assert.equal(await counts(a.panelId), {}, 'a panel not sent to CPAR makes no conflict');
});

warnings('a last visit or a confirmation older than the clinic’s limit warns; at the limit it does not', async () => {
  const [old, edge] = a.patientIds;
  await db.execute({ sql: "UPDATE visits SET visit_date = '2023-12-04' WHERE patient_id = ?", args: [old] });
  await db.execute({ sql: "UPDATE visits SET visit_date = '2023-12-05' WHERE patient_id = ?", args: [edge] });
  await db.execute({ sql: "UPDATE panel_members SET confirmed_on = '2023-12-04' WHERE patient_id = ?", args: [old] });
  await db.execute({ sql: "UPDATE panel_members SET confirmed_on = '2023-12-05' WHERE patient_id = ?", args: [edge] });
  // visits have no readiness trigger on update: start from a day with nothing stored
  await db.execute('DELETE FROM panel_readiness');
  assert.equal(await counts(a.panelId), { stale_visit: 1, stale_confirmation: 1 });
  assert.equal(await warnedPatientIds(db, a.panelId, 'stale_visit', '2026-12-05'), [old]);
  const judged = (await readinessOfCparPanels(db, now, [a.panelId])).get(a.panelId)!;
  assert.match(judged.warnings!.map((w) => w.message).join(' '), '1 patient last visited over 3 years ago');
  // A day later the edge patient is past the limit too.
  assert.equal(await counts(a.panelId, new Date('2026-12-06T12:00:00-07:00')), { stale_visit: 2, stale_confirmation: 2 });
  // A visit since, with any practitioner, ends it; an inactive patient is not counted.
  await db.execute({ sql: "INSERT INTO visits (patient_id, practitioner_id, visit_date) SELECT ?, practitioner_id, '2026-01-01' FROM visits LIMIT 1", args: [old] });
  assert.equal(await counts(a.panelId), { stale_confirmation: 1 });
  await db.execute({ sql: "UPDATE patients SET status = 'inactive' WHERE id = ?", args: [old] });
  assert.equal(await counts(a.panelId), {});
});

warnings('the limits are the clinic’s: a change applies to stored readiness at once and is audited', async () => {
  await db.execute({ sql: "UPDATE visits SET visit_date = '2022-01-01' WHERE patient_id = ?", args: [a.patientIds[0]] });
  await db.execute('DELETE FROM panel_readiness');
  assert.equal(await counts(a.panelId), { stale_visit: 1 });
  const userId = await addUser(db, 'clerk', ['cii_cpar_settings']);
  const scope = (await loadScope(db, userId))!;
  const clock = new ManualClock(now);
  assert.ok(await saveClinicSettings(db, clock, scope, { staleVisitYears: 5, staleConfirmationYears: 3 }, { route: 'POST /settings/cii-cpar/settings' }));
  assert.equal(await getClinicSettings(db), { staleVisitYears: 5, staleConfirmationYears: 3 });
  assert.equal(await counts(a.panelId), {});
  assert.equal((await panelWarnings(db, a.panelId, now)).length, 0);
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'clinic_settings' AND action = 'edit' AND user_id = ?", [userId]), 1);
  assert.not.ok(await saveClinicSettings(db, clock, scope, { staleVisitYears: 5, staleConfirmationYears: 3 }, { route: 'x' }), 'no change, no entry');
  assert.is(await count(db, "SELECT count(*) FROM audit_log WHERE object_type = 'clinic_settings'"), 1);
});

warnings('limits are whole years from 1 to 20; anything else is refused with the reason', () => {
  for (const bad of ['0', '21', '3.5', '', ' ', 'abc', '-3', '1e1', '０3']) {
    const parsed = parseClinicSettings({ staleVisitYears: bad, staleConfirmationYears: '3' });
    assert.not.ok(parsed.ok, bad);
    if (!parsed.ok) assert.equal(parsed.problems.map((p) => p.field), ['staleVisitYears'], bad);
  }
  assert.equal(parseClinicSettings({ staleVisitYears: ' 1 ', staleConfirmationYears: '20' }), { ok: true, settings: { staleVisitYears: 1, staleConfirmationYears: 20 } });
});

warnings.run();
