import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { recordFeedbackAction, registryFeedback } from '../../../src/domain/registry/registry-feedback.ts';
import { loadScope } from '../../../src/domain/people/users.ts';
import type { Scope } from '../../../src/domain/people/permissions.ts';
import { addSubmission, addUser, count, freshDb } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

const feedback = suite('registry feedback');
let db: Db;
let panel: { panelId: number; patientIds: number[] };
let scope: Scope;
const clock = new ManualClock('2026-11-20T10:00:00-07:00');
const AUDIT = { route: 'POST /test' };

/** A Submitted submission with the registry's answer, as the pipeline stores it. */
async function answered(createdAt: string, counted: number, items: { patient: number; kind: 'mismatch' | 'conflict'; detail: object }[]) {
  const id = await addSubmission(db, panel.panelId, { status: 'Submitted', createdAt, patientCount: 5 });
  await db.execute({ sql: 'UPDATE submissions SET registry_counted = ? WHERE id = ?', args: [counted, id] });
  for (const item of items) {
    const earlier = await db.execute({
      sql: `SELECT e.open_since_submission_id FROM registry_exceptions e
             WHERE e.panel_id = ? AND e.uli = (SELECT uli FROM patients WHERE id = ?) AND e.kind = ? AND e.submission_id =
                   (SELECT max(id) FROM submissions WHERE panel_id = ? AND status = 'Submitted' AND registry_counted IS NOT NULL AND id < ?)`,
      args: [panel.panelId, item.patient, item.kind, panel.panelId, id],
    });
    await db.execute({
      sql: `INSERT INTO registry_exceptions (submission_id, panel_id, uli, kind, detail, open_since_submission_id)
            VALUES (?, ?, (SELECT uli FROM patients WHERE id = ?), ?, ?, ?)`,
      args: [id, panel.panelId, item.patient, item.kind, JSON.stringify(item.detail), earlier.rows[0]?.open_since_submission_id ?? id],
    });
  }
  return id;
}

const MISMATCH = { fields: [{ field: 'birthDate', clinic: '1980-05-17', registry: '1980-05-18' }] };
const CONFLICT = { provider: 'Dr. Elsewhere', clinic: 'Far Clinic', confirmedOn: '2025-01-10' };

feedback.before.each(async () => {
  db = await freshDb();
  panel = await addClinicPanel(db, { name: 'P', patients: 5 });
  scope = (await loadScope(db, await addUser(db, 'clerk', ['cii_cpar_settings'])))!;
});

feedback('no answer yet: nothing to show', async () => {
  assert.is(await registryFeedback(db, panel.panelId), null);
});

feedback('the latest answer’s items, with since when each has been open', async () => {
  const march = await answered('2026-03-15T21:00:00-06:00', 3, [
    { patient: panel.patientIds[0], kind: 'conflict', detail: CONFLICT },
    { patient: panel.patientIds[1], kind: 'mismatch', detail: MISMATCH },
  ]);
  const april = await answered('2026-04-15T21:00:00-06:00', 3, [
    { patient: panel.patientIds[0], kind: 'conflict', detail: CONFLICT },
    { patient: panel.patientIds[2], kind: 'mismatch', detail: MISMATCH },
  ]);
  const f = (await registryFeedback(db, panel.panelId))!;
  assert.equal([f.submission.id, f.submission.patientCount, f.submission.counted], [april, 5, 3]);
  assert.equal(f.conflicts.map((i) => [i.patient?.id, i.openSince.submissionId]), [[panel.patientIds[0], march]], 'still there: open since March');
  assert.equal(f.mismatches.map((i) => [i.patient?.id, i.openSince.submissionId]), [[panel.patientIds[2], april]], 'the March mismatch is resolved');
  const conflict = f.conflicts[0];
  assert.ok(conflict.kind === 'conflict' && conflict.other.provider === 'Dr. Elsewhere');
});

feedback('what the clinic did is recorded with who and when, audited with the patient; a confirmation sets the date', async () => {
  await answered('2026-10-15T21:00:00-06:00', 4, [{ patient: panel.patientIds[0], kind: 'conflict', detail: CONFLICT }]);
  const item = (await registryFeedback(db, panel.panelId))!.conflicts[0];
  assert.ok((await recordFeedbackAction(db, clock, scope, panel.panelId, item.id, 'contacted', null, AUDIT)).ok);
  assert.ok((await recordFeedbackAction(db, clock, scope, panel.panelId, item.id, 'confirmed', '2026-11-19', AUDIT)).ok);
  const after = (await registryFeedback(db, panel.panelId))!.conflicts[0];
  assert.equal(after.actions.map((a) => [a.action, a.confirmedOn, a.by, a.at.getTime()]),
    [['contacted', null, 'Test clerk', clock.now().getTime()], ['confirmed', '2026-11-19', 'Test clerk', clock.now().getTime()]]);
  const member = (await db.execute({ sql: 'SELECT confirmed_on, confirmed_by FROM panel_members WHERE panel_id = ? AND patient_id = ?', args: [panel.panelId, panel.patientIds[0]] })).rows[0];
  assert.equal([member.confirmed_on, Number(member.confirmed_by)], ['2026-11-19', scope.userId]);
  const audited = await db.execute(`SELECT ap.patient_id FROM audit_log a JOIN audit_patients ap ON ap.audit_id = a.id
                                     WHERE a.object_type = 'registry_conflict'`);
  assert.equal(audited.rows.map((r) => Number(r.patient_id)), [panel.patientIds[0], panel.patientIds[0]], 'each action audited with the patient');
});

feedback('a future confirmation date is refused and changes nothing; removal takes the patient off the panel', async () => {
  await answered('2026-10-15T21:00:00-06:00', 4, [{ patient: panel.patientIds[0], kind: 'conflict', detail: CONFLICT }]);
  const item = (await registryFeedback(db, panel.panelId))!.conflicts[0];
  const refused = await recordFeedbackAction(db, clock, scope, panel.panelId, item.id, 'confirmed', '2026-11-21', AUDIT);
  assert.equal(refused.ok, false);
  assert.is(await count(db, 'SELECT count(*) FROM registry_actions'), 0);
  assert.ok((await recordFeedbackAction(db, clock, scope, panel.panelId, item.id, 'removed', null, AUDIT)).ok);
  assert.is(await count(db, 'SELECT count(*) FROM panel_members WHERE panel_id = ? AND patient_id = ?', [panel.panelId, panel.patientIds[0]]), 0);
});

feedback('only an item of the latest answer can be acted on; another panel’s item is not found', async () => {
  await answered('2026-09-15T21:00:00-06:00', 4, [{ patient: panel.patientIds[0], kind: 'conflict', detail: CONFLICT }]);
  const old = (await registryFeedback(db, panel.panelId))!.conflicts[0];
  await answered('2026-10-15T21:00:00-06:00', 5, []);
  assert.equal(await recordFeedbackAction(db, clock, scope, panel.panelId, old.id, 'contacted', null, AUDIT), { ok: false, reason: 'not_open' });
  const other = await addClinicPanel(db, { name: 'Other', patients: 1 });
  assert.equal(await recordFeedbackAction(db, clock, scope, other.panelId, old.id, 'contacted', null, AUDIT), { ok: false, reason: 'not_found' });
  assert.is(await count(db, 'SELECT count(*) FROM registry_actions'), 0);
});

feedback.run();
