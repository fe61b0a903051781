import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src/domain/database/db.ts';
import { migrate, readMigrations } from '../../../src/domain/database/migrate.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { listMembers } from '../../../src/domain/panels/panel-members.ts';
import { membersCsv } from '../../../src/domain/panels/members-csv.ts';
import { edmontonDate } from '../../../src/domain/time/edmonton.ts';
import { freshDb } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

// patients.last_visit_on is kept by triggers on visits (db/migrations/035); extraction, the
// members page and its CSV read the last visit through it. Whatever happens to the visits,
// each must still say what the visits themselves say.
const lastVisit = suite('last visit kept with the patient');
const RUN = new Date('2026-11-15T21:00:00-07:00');
const DAY = edmontonDate(RUN);

/** The last visit up to the day, from the visits alone: what every reader must agree with. */
async function fromVisits(db: Db, patientIds: number[]): Promise<(string | null)[]> {
  const r = await db.execute({
    sql: `SELECT (SELECT max(v.visit_date) FROM visits v WHERE v.patient_id = j.value AND v.visit_date <= ?) AS d
            FROM json_each(?) j ORDER BY j.key`,
    args: [DAY, JSON.stringify(patientIds)],
  });
  return r.rows.map((row) => (row.d === null ? null : String(row.d)));
}

async function csvLastVisits(db: Db, panelId: number): Promise<Map<number, string>> {
  let text = '';
  for await (const piece of membersCsv(db, panelId, RUN)) text += piece;
  // ULI is the first column, last visit the seventh; the test's patients are told apart by ULI.
  return new Map(text.split('\r\n').slice(1).filter(Boolean).map((line) => {
    const f = line.split(',');
    return [Number(f[0]), f[6]];
  }));
}

async function assertAgree(db: Db, panelId: number, patientIds: number[], step: string) {
  const expected = await fromVisits(db, patientIds);
  const snapshot = (await extractPanel(db, panelId, RUN))!;
  const extracted = new Map(snapshot.patients.map((p) => [p.patientId, p.lastVisitOn]));
  assert.equal(patientIds.map((id) => extracted.get(id)), expected, `extraction, after ${step}`);
  const listing = await listMembers(db, panelId, { q: '', page: 1, problem: null }, RUN);
  const listed = new Map(listing.rows.map((m) => [m.patientId, m.lastVisitOn]));
  assert.equal(patientIds.map((id) => listed.get(id)), expected, `members page, after ${step}`);
  const ulis = new Map(snapshot.patients.map((p) => [p.patientId, Number(p.uli)]));
  const csv = await csvLastVisits(db, panelId);
  assert.equal(patientIds.map((id) => csv.get(ulis.get(id)!) || null), expected, `members CSV, after ${step}`);
}

lastVisit('extraction, the members page and the CSV follow every change to the visits', async () => {
  const db = await freshDb();
  const { panelId, patientIds } = await addClinicPanel(db, { name: 'Kept', patients: 0, withoutVisit: 3 });
  const [a, b, c] = patientIds;
  const practitioner = Number((await db.execute('SELECT id FROM practitioners LIMIT 1')).rows[0].id);
  const visit = async (patientId: number, date: string) => Number((await db.execute({
    sql: 'INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, ?, ?) RETURNING id',
    args: [patientId, practitioner, date],
  })).rows[0].id);
  await assertAgree(db, panelId, patientIds, 'no visit yet');

  const aJune = await visit(a, '2026-06-01');
  const aOct = await visit(a, '2026-10-02');
  await visit(a, '2026-03-09'); // an older visit recorded later does not move it back
  await assertAgree(db, panelId, patientIds, 'visits in any order');

  const aAhead = await visit(a, '2026-12-01'); // recorded ahead of its date: not yet a visit on the 15th
  await visit(b, '2026-11-20');
  await assertAgree(db, panelId, patientIds, 'visits after the day');

  await db.execute({ sql: 'DELETE FROM visits WHERE id = ?', args: [aOct] });
  await assertAgree(db, panelId, patientIds, 'the latest visit up to the day deleted');
  await db.execute({ sql: 'DELETE FROM visits WHERE id = ?', args: [aAhead] });
  await assertAgree(db, panelId, patientIds, 'the visit ahead deleted');

  await db.execute({ sql: "UPDATE visits SET visit_date = '2026-11-14' WHERE id = ?", args: [aJune] });
  await assertAgree(db, panelId, patientIds, 'a visit moved to a later date');
  await db.execute({ sql: "UPDATE visits SET visit_date = '2025-01-31' WHERE id = ?", args: [aJune] });
  await assertAgree(db, panelId, patientIds, 'the latest visit moved to an earlier date');

  await db.execute({ sql: 'UPDATE visits SET patient_id = ? WHERE id = ?', args: [c, aJune] });
  await assertAgree(db, panelId, patientIds, 'a visit recorded against the wrong patient moved to the right one');

  await db.execute({ sql: 'DELETE FROM visits WHERE patient_id = ?', args: [a] });
  await assertAgree(db, panelId, patientIds, "all of a patient's visits deleted");
  assert.equal(await fromVisits(db, patientIds), [null, null, '2025-01-31']);
});

lastVisit('a database migrated with visits in it starts with each patient’s latest', async () => {
  const db = await openDatabase(`file:${join(mkdtempSync(join(tmpdir(), 'cpar-test-')), 'test.db')}`);
  const all = readMigrations();
  await migrate(db, all.filter((m) => m.version < 35));
  const { panelId, patientIds } = await addClinicPanel(db, { name: 'Before', patients: 2, withoutVisit: 1 });
  const practitioner = Number((await db.execute('SELECT id FROM practitioners LIMIT 1')).rows[0].id);
  await db.execute({ sql: "INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, ?, '2026-12-24')", args: [patientIds[0], practitioner] });
  assert.equal(await migrate(db, all.filter((m) => m.version <= 35)), ['035_kept_last_visit.sql']);
  await assertAgree(db, panelId, patientIds, 'the migration');
  const kept = await db.execute({ sql: 'SELECT last_visit_on FROM patients WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id', args: [JSON.stringify(patientIds)] });
  assert.equal(kept.rows.map((r) => r.last_visit_on), ['2026-12-24', '2026-09-01', null]);
});

lastVisit.run();
