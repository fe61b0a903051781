import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import type { Db } from '../../../src/domain/database/db.ts';
import type { Scope } from '../../../src/domain/people/permissions.ts';
import { confirmMissing, removeMembers, replaceConfirmations, undoChange } from '../../../src/domain/panels/member-changes.ts';
import { freshDb, addUser } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

const changes = suite('bulk member changes and their undo');

async function world() {
  const db = await freshDb();
  const userId = await addUser(db, 'clerk', ['cii_cpar_settings']);
  const scope: Scope = { userId, username: 'clerk', fullName: 'Jordan Pelletier', permissions: new Set(['cii_cpar_settings']) };
  // 3 confirmed on 2026-06-01 (no recorder: from the import), 2 without a date.
  const panel = await addClinicPanel(db, { name: 'Changes', patients: 3, withoutConfirmation: 2 });
  const clock = new ManualClock('2026-12-05T10:00:00-07:00');
  return { db, scope, panel, clock };
}

/** Every column of every membership of the panel, as the database stores it. */
async function rows(db: Db, panelId: number) {
  const r = await db.execute({ sql: 'SELECT * FROM panel_members WHERE panel_id = ? ORDER BY patient_id', args: [panelId] });
  return JSON.stringify(r.rows.map((row) => r.columns.map((c) => [c, row[c]])));
}

changes('confirming in bulk fills only missing dates, records who and when, and keeps every existing date', async () => {
  const { db, scope, panel, clock } = await world();
  const result = await confirmMissing(db, clock, scope, panel.panelId, panel.patientIds, '2026-12-01');
  assert.is(result.changed, 2);
  assert.is(result.change?.patientCount, 2);
  const r = await db.execute({ sql: 'SELECT patient_id, confirmed_on, confirmed_by, confirmation_recorded_at FROM panel_members WHERE panel_id = ? ORDER BY patient_id', args: [panel.panelId] });
  assert.equal(r.rows.map((x) => [x.confirmed_on, x.confirmed_by, x.confirmation_recorded_at]), [
    ['2026-06-01', null, null], ['2026-06-01', null, null], ['2026-06-01', null, null],
    ['2026-12-01', 'Jordan Pelletier', clock.now().getTime()], ['2026-12-01', 'Jordan Pelletier', clock.now().getTime()],
  ]);
  const again = await confirmMissing(db, clock, scope, panel.panelId, panel.patientIds, '2026-12-02');
  assert.equal([again.changed, again.change], [0, null], 'nothing left to fill: nothing recorded');
});

for (const kind of ['confirm', 'reconfirm', 'remove'] as const) {
  changes(`undo of a ${kind} restores byte-identical rows`, async () => {
    const { db, scope, panel, clock } = await world();
    await confirmMissing(db, clock, scope, panel.panelId, [panel.patientIds[3]], '2026-11-20'); // one recorded earlier
    clock.advance(60_000);
    const before = await rows(db, panel.panelId);
    const act = kind === 'confirm' ? confirmMissing(db, clock, scope, panel.panelId, panel.patientIds, '2026-12-05')
      : kind === 'reconfirm' ? replaceConfirmations(db, clock, scope, panel.panelId, panel.patientIds, '2026-12-05')
        : removeMembers(db, clock, scope, panel.panelId, panel.patientIds.slice(1));
    const { change, changed } = await act;
    assert.ok(change && changed > 0);
    assert.is.not(await rows(db, panel.panelId), before);
    clock.advance(3600_000);
    const undone = await undoChange(db, clock, panel.panelId, change!.id);
    assert.ok(undone.ok);
    assert.is(await rows(db, panel.panelId), before);
    assert.equal(await undoChange(db, clock, panel.panelId, change!.id), { ok: false, reason: 'already_undone', change: { ...change!, undoneAt: clock.now() } });
  });
}

changes('each id counts once; ids not on the panel change nothing and are not counted as selected', async () => {
  const { db, scope, panel, clock } = await world();
  const foreign = await addClinicPanel(db, { name: 'Foreign', patients: 0, withoutConfirmation: 1 });
  const ids = [panel.patientIds[3], panel.patientIds[3], panel.patientIds[4], panel.patientIds[0], foreign.patientIds[0], 424242];
  const { change, changed } = await confirmMissing(db, clock, scope, panel.panelId, ids, '2026-11-01');
  assert.is(changed, 2);
  assert.equal([change?.patientCount, change?.selectedCount], [2, 3]);
  const other = await db.execute({ sql: 'SELECT confirmed_on FROM panel_members WHERE panel_id = ?', args: [foreign.panelId] });
  assert.is(other.rows[0].confirmed_on, null, 'another panel is untouched');
});

changes('undo lasts until midnight (Edmonton) and never overwrites a row changed since', async () => {
  const { db, scope, panel, clock } = await world();
  const { change } = await replaceConfirmations(db, clock, scope, panel.panelId, panel.patientIds.slice(0, 2), '2026-12-05');
  await db.execute({ sql: "UPDATE panel_members SET confirmed_on = '2026-12-04', confirmation_recorded_at = 1 WHERE panel_id = ? AND patient_id = ?", args: [panel.panelId, panel.patientIds[1]] });
  clock.set('2026-12-05T23:59:00-07:00');
  const undone = await undoChange(db, clock, panel.panelId, change!.id);
  assert.ok(undone.ok && undone.restored === 1 && undone.changedSince === 1);
  const dates = await db.execute({ sql: 'SELECT confirmed_on FROM panel_members WHERE panel_id = ? AND patient_id IN (?, ?) ORDER BY patient_id', args: [panel.panelId, panel.patientIds[0], panel.patientIds[1]] });
  assert.equal(dates.rows.map((r) => r.confirmed_on), ['2026-06-01', '2026-12-04']);

  const late = await replaceConfirmations(db, clock, scope, panel.panelId, [panel.patientIds[2]], '2026-12-05');
  clock.set('2026-12-06T00:00:00-07:00');
  const expired = await undoChange(db, clock, panel.panelId, late.change!.id);
  assert.is(expired.ok ? 'ok' : expired.reason, 'expired');
  assert.equal((await undoChange(db, clock, panel.panelId + 1, late.change!.id)), { ok: false, reason: 'not_found' }, 'another panel\'s change is not found');
});

changes.run();
