import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { monthlyPatientCounts } from '../../../src/domain/submissions/submission-history.ts';
import { freshDb, addUser, addPanel, addSubmission } from '../../support/app.ts';

const monthly = suite('monthlyPatientCounts');
let db: Db;
let panelId: number;
let otherPanel: number;

monthly.before(async () => {
  db = await freshDb();
  const clerk = await addUser(db, 'clerk', ['cii_cpar_settings']);
  panelId = await addPanel(db, 'Charted panel');
  otherPanel = await addPanel(db, 'Other panel');
  const add = (createdAt: string, patientCount: number | null, status: 'Submitted' | 'Failed' = 'Submitted', panel = panelId) =>
    addSubmission(db, panel, { status, createdAt, patientCount });
  await add('2025-11-15T21:00:00-07:00', 999); // before the window
  await add('2025-12-15T21:00:00-07:00', 610);
  await add('2026-01-15T21:00:00-07:00', 620, 'Failed');
  await add('2026-02-15T21:00:00-07:00', null, 'Failed'); // failed before extraction: a gap
  await add('2026-04-15T21:00:00-06:00', 640);
  await add('2026-04-16T21:00:00-06:00', 655); // a later monthly submission of the same month wins
  await add('2026-09-30T22:00:00-06:00', 700); // 04:00Z on October 1st: still September in Edmonton
  const manual = await add('2026-10-20T10:00:00-06:00', 720);
  await db.execute({ sql: "UPDATE submissions SET trigger = 'manual', triggered_by = ? WHERE id = ?", args: [clerk, manual] });
  await add('2026-10-15T21:00:00-06:00', 300, 'Submitted', otherPanel);
});

monthly('twelve Edmonton months ending with this one, oldest first', async () => {
  const counts = await monthlyPatientCounts(db, panelId, new Date('2026-11-10T12:00:00-07:00'));
  assert.equal(counts.map((m) => m.month), ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05',
    '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
});

monthly('the latest scheduled submission with a patient count per month; other months are gaps', async () => {
  const counts = await monthlyPatientCounts(db, panelId, new Date('2026-11-10T12:00:00-07:00'));
  const byMonth = Object.fromEntries(counts.map((m) => [m.month, m.patientCount]));
  assert.equal(byMonth, {
    '2025-12': 610, '2026-01': 620, '2026-02': null, '2026-03': null, '2026-04': 655, '2026-05': null,
    '2026-06': null, '2026-07': null, '2026-08': null, '2026-09': 700, '2026-10': null, '2026-11': null,
  });
  assert.is(counts[1].status, 'Failed');
  assert.ok(counts[0].submissionId);
  assert.is(counts[2].submissionId, null);
});

monthly('a window across New Year, at the first minute of an Edmonton month', async () => {
  const counts = await monthlyPatientCounts(db, panelId, new Date('2026-12-01T00:00:00-07:00'));
  assert.is(counts[0].month, '2026-01');
  assert.is(counts[11].month, '2026-12');
  assert.is(counts[0].patientCount, 620);
  const nextYear = await monthlyPatientCounts(db, panelId, new Date('2027-01-05T12:00:00-07:00'));
  assert.equal([nextYear[0].month, nextYear[11].month], ['2026-02', '2027-01']);
});

monthly.run();
