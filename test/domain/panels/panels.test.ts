import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import type { Scope } from '../../../src/domain/people/permissions.ts';
import { checkPanelInput, createPanel, deletePanel, listActivePanels, updatePanel, EMPTY_PANEL, type PanelInput } from '../../../src/domain/panels/panels.ts';
import { freshDb, addPanel, count } from '../../support/app.ts';

const rules = suite('checkPanelInput');
const input = (over: Partial<PanelInput>): PanelInput => ({ ...EMPTY_PANEL, name: 'A panel', practitionerIds: [1], ...over });

rules('a complete regular panel has no errors', () => {
  assert.equal(checkPanelInput(input({})), {});
});

rules('a blank name, no practitioner and CPAR without a number are each named', () => {
  const errors = checkPanelInput(input({ name: ' \t ', practitionerIds: [], cparEnabled: true, panelNumber: '  ' }));
  assert.equal(Object.keys(errors).sort(), ['cparEnabled', 'name', 'practitionerIds']);
});

rules('a name over 255 characters is not an error (the rule fails the submission); over 1,000 is', () => {
  assert.equal(checkPanelInput(input({ name: '🩺'.repeat(1000) })), {});
  assert.ok(checkPanelInput(input({ name: 'x'.repeat(1001) })).name);
});

rules('ids that are not positive integers are refused', () => {
  assert.ok(checkPanelInput(input({ practitionerIds: [1, NaN] })).practitionerIds);
  assert.ok(checkPanelInput(input({ failureRecipientId: -3 })).failureRecipientId);
});

rules.run();

const records = suite('panels in the database');
let db: Db;
const clock = new ManualClock('2026-11-10T12:00:00-07:00');
const scope: Scope = { userId: 1, username: 'clerk', fullName: 'Clerk', permissions: new Set(['cii_cpar_settings']) };
let practitioners: number[] = [];

records.before(async () => {
  db = await freshDb();
  const r = await db.execute("INSERT INTO practitioners (name, practitioner_id) VALUES ('Dr. A', '11111'), ('Dr. B', '22222'), ('Dr. C', NULL) RETURNING id");
  practitioners = r.rows.map((row) => Number(row.id));
});

records('an edit may swap every practitioner at once (the at-least-one trigger holds)', async () => {
  const created = await createPanel(db, clock, scope, input({ practitionerIds: [practitioners[0], practitioners[0]] }));
  assert.ok(created.ok);
  const id = created.ok ? created.id : 0;
  assert.is(await count(db, 'SELECT count(*) FROM panel_practitioners WHERE panel_id = ?', [id]), 1);
  const updated = await updatePanel(db, scope, id, input({ practitionerIds: [practitioners[1], practitioners[2]] }));
  assert.ok(updated.ok);
  const linked = await db.execute({ sql: 'SELECT practitioner_id FROM panel_practitioners WHERE panel_id = ? ORDER BY 1', args: [id] });
  assert.equal(linked.rows.map((l) => Number(l.practitioner_id)), [practitioners[1], practitioners[2]]);
});

records('two simultaneous saves of the same panel number: one wins, the other is told', async () => {
  const results = await Promise.all([1, 2].map((n) =>
    createPanel(db, clock, scope, input({ name: `Race ${n}`, panelNumber: 'PNL-RACE', cparEnabled: true, practitionerIds: [practitioners[0]] }))));
  assert.equal(results.map((r) => r.ok).sort(), [false, true]);
  const lost = results.find((r) => !r.ok);
  assert.ok(lost && !lost.ok && lost.reason === 'invalid' && lost.errors.panelNumber);
  assert.is(await count(db, "SELECT count(*) FROM panels WHERE panel_number = 'PNL-RACE'"), 1);
});

records('the patient count includes only members whose patient is active', async () => {
  const id = await addPanel(db, 'Counted');
  await db.execute(`INSERT INTO patients (uli, last_name, first_name, birth_date, gender, status) VALUES
    ('100000001', 'A', 'A', '1980-01-01', 'F', 'active'), ('100000002', 'B', 'B', '1980-01-01', 'M', 'moved_away')`);
  await db.execute({ sql: 'INSERT INTO panel_members (panel_id, patient_id) SELECT ?, id FROM patients', args: [id] });
  const listed = (await listActivePanels(db)).find((p) => p.id === id);
  assert.is(listed?.patientCount, 1);
});

records('delete refuses a panel with submissions and reports a missing one', async () => {
  const id = await addPanel(db, 'Submitted once');
  await db.execute({ sql: "INSERT INTO submissions (panel_id, status, created_at, trigger) VALUES (?, 'Queued', 0, 'scheduled')", args: [id] });
  assert.equal(await deletePanel(db, scope, id), { ok: false, reason: 'has_submissions', name: 'Submitted once' });
  assert.equal(await deletePanel(db, scope, 999999), { ok: false, reason: 'not_found' });
  assert.is(await count(db, 'SELECT count(*) FROM panels WHERE id = ?', [id]), 1);
});

records.run();
