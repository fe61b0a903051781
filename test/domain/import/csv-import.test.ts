import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { importClinicalRecord } from '../../../src/domain/import/import.ts';
import { importCsv, prepareCsv, type CsvChoices } from '../../../src/domain/import/csv-import.ts';
import { describeCsvProblem } from '../../../src/domain/import/csv-translate.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src/domain/database/db.ts';
import { migrate, readMigrations } from '../../../src/domain/database/migrate.ts';
import { addPanel, addUser, count, freshDb } from '../../support/app.ts';

const test = suite('CSV panel list: translated, checked by line and column, imported all or nothing');
const clock = new ManualClock('2026-11-10T12:00:00-07:00');
const EXAMPLE = JSON.parse(readFileSync(new URL('../../../db/examples/clinic-import.json', import.meta.url), 'utf8'));
const EMR = readFileSync(new URL('../../fixtures/csv/emr-panel-list.csv', import.meta.url));
const HEADER = 'PHN,Last Name,First Name,DOB,Sex,Primary Provider,Confirmation Date,Last Visit,Status';
let db: Db;

test.before.each(async () => {
  db = await freshDb();
  await addUser(db, 'jsmith');
  assert.ok((await importClinicalRecord(db, clock, EXAMPLE)).ok);
});
test.after.each(() => db.close());

const csv = (...rows: string[]) => Buffer.from([HEADER, ...rows].join('\n'));
const members = async (panelKey: string) => (await db.execute({
  sql: 'SELECT pt.uli, m.confirmed_on FROM panel_members m JOIN panels p ON p.id = m.panel_id JOIN patients pt ON pt.id = m.patient_id WHERE p.key = ? ORDER BY pt.uli',
  args: [panelKey],
})).rows.map((r) => `${r.uli} ${r.confirmed_on}`);
async function problems(bytes: Buffer, choices: CsvChoices = {}) {
  const prepared = await prepareCsv(db, clock, bytes, choices);
  assert.not.ok(prepared.ok, 'refused');
  return prepared.ok ? [] : prepared.problems.map(describeCsvProblem);
}

test('an EMR panel list replaces each named provider’s panel: members added, removed, dates changed; other panels untouched', async () => {
  const before = await members('lee-main');
  const result = await importCsv(db, clock, EMR, {});
  assert.ok(result.ok, JSON.stringify(result));
  if (!result.ok) return;
  assert.equal(result.counts.panelMembers, { created: 1, updated: 2, unchanged: 10, removed: 1 });
  assert.equal(result.counts.patients, { created: 1, updated: 0, unchanged: 12 });
  assert.equal(result.counts.panels, { created: 0, updated: 0, unchanged: 2 }, 'a panel keeps its name, number and failure recipient');
  const okoye = await members('okoye-riverside');
  assert.is(okoye.length, 9);
  assert.ok(okoye.includes('910186177 2026-11-02'), 'the new patient is a member, dated day first');
  assert.not.ok(okoye.some((m) => m.startsWith('910146659')), 'the patient missing from the file left the panel');
  assert.ok(okoye.includes('910107064 2026-11-01'), 'a changed confirmation date');
  assert.ok((await members('brandt-locum')).includes('910178335 null'), 'a blank confirmation date is stored as not recorded');
  assert.equal(result.warnings.map(describeCsvProblem), ['line 15, "Confirmation Date": blank: stored as not recorded']);
  assert.equal(await members('lee-main'), before);
  assert.is(await count(db, "SELECT count(*) FROM patients WHERE uli = '910186177' AND key LIKE 'csv:%' AND first_name = 'Astrid'"), 1);
  assert.is(await count(db, "SELECT count(*) FROM patients WHERE key = 'p15' AND status = 'deceased'"), 1);

  const again = await importCsv(db, clock, EMR, {});
  assert.ok(again.ok);
  if (!again.ok) return;
  assert.equal(again.counts.panelMembers, { created: 0, updated: 0, unchanged: 13, removed: 0 }, 're-importing the file changes nothing');
  assert.equal(again.counts.patients, { created: 0, updated: 0, unchanged: 13 });
  assert.equal(again.counts.visits.created, 0);
});

test('a provider is a panel number, a Practitioner ID or a name of one practitioner with one CPAR panel; else a problem on its line', async () => {
  const row = (provider: string) => `910004117,Doe,Jan,1980-01-31,F,${provider},2026-01-02,,Active`;
  assert.equal(await problems(csv(row('Dr. Ada Lee'), row('104823'), row('Dr. Nobody'), row(''))), [
    'line 2, "Primary Provider": this practitioner is on 2 active CPAR panels: write the panel number instead',
    'line 3, "Primary Provider": this practitioner is on 2 active CPAR panels: write the panel number instead',
    'line 4, "Primary Provider": no panel number, Practitioner ID or practitioner name in the portal matches this provider',
    'line 5, "Primary Provider": required',
  ]);
  const byNumber = await importCsv(db, clock, csv(row('pnl-30112')), {});
  assert.ok(byNumber.ok);
  assert.equal(await members('lee-main'), ['910004117 2026-01-02'], 'the panel number names the panel; the file is its whole list');
  for (const name of ['Okoye, Chidi', 'CHIDI OKOYE', 'Dr Chidi  Okoye', '117560']) {
    const r = await prepareCsv(db, clock, csv(row(`"${name}"`)), {});
    assert.ok(r.ok && r.extract.panels[0].key === 'okoye-riverside', name);
  }
  await db.execute("INSERT INTO practitioners (key, name) VALUES ('dr-okoye-2', 'Dr. Chidi Okoye')");
  assert.equal(await problems(csv(row('Chidi Okoye'))), ['line 2, "Primary Provider": 2 practitioners match this provider: write the Practitioner ID or the panel number instead']);
});

test('problems name the line and column, never the patient’s data; nothing is written', async () => {
  const found = await problems(csv(
    '91000411,Doe,Jan,31/01/1980,F,PNL-30112,02/01/2026,,Active',
    '910012036,Marchetti,Luca,30/02/1957,M,PNL-30112,,,Active',
    '910019955,Sandhu,Priya,02/11/2031,Woman,PNL-30112,February,,Away',
    '910027874,Nguyen,Minh,1990-01-01,Robot,PNL-30112,2026-01-01,,',
    '910027874,Nguyen,Minh,1990-01-01,constructor,PNL-30112,2026-01-01,,',
    '910500001,Lindqvist,Astrid,1990-01-01,F,PNL-30112,2026-01-01,,',
    '910500001,Lindkvist,Astrid,1990-01-01,F,PNL-30203,2026-01-01,,',
  ));
  assert.equal(found, [
    'line 2, "PHN": must be 9 digits',
    'line 3, "DOB": not a real date',
    'line 4, "Status": must be one of Active, Inactive, Deceased, Moved away',
    'line 4, "Confirmation Date": must be a date written DD/MM/YYYY or YYYY-MM-DD',
    'line 4, "DOB": is in the future (today is 2026-11-10)',
    'line 5, "Sex": must be one of F, M, X, U, Female, Male, Other, Unknown',
    'line 6, "Sex": must be one of F, M, X, U, Female, Male, Other, Unknown',
    'line 6, "PHN": listed twice in this panel (also at line 5)',
    'line 8, "PHN": the same PHN as line 7, with other details',
  ]);
  for (const secret of ['Doe', 'Marchetti', 'Sandhu', 'Nguyen', '910', '1957', '2031', 'Lindkvist']) assert.not.match(found.join('\n'), secret);
  assert.is(await count(db, "SELECT count(*) FROM patients WHERE uli = '910500001'"), 0);
});

test('an ambiguous file is not guessed: its date columns are asked about; the answer reads every date that way', async () => {
  const file = csv('910004117,Doe,Jan,04/03/1980,F,PNL-30112,02/01/2026,,Active');
  const asked = await prepareCsv(db, clock, file, {});
  assert.ok(!asked.ok && asked.askDates.join() === 'DOB,Confirmation Date');
  const dayFirst = await prepareCsv(db, clock, file, { dates: 'DD/MM/YYYY' });
  assert.ok(dayFirst.ok);
  const monthFirst = await prepareCsv(db, clock, file, { dates: 'MM/DD/YYYY' });
  assert.ok(monthFirst.ok);
  if (!dayFirst.ok || !monthFirst.ok) return;
  assert.equal([dayFirst.extract.patients[0].birthDate, monthFirst.extract.patients[0].birthDate], ['1980-03-04', '1980-04-03']);
  const settled = await prepareCsv(db, clock, csv('910004117,Doe,Jan,04/03/1980,F,PNL-30112,25/03/2026,,Active'), {});
  assert.ok(settled.ok && settled.format === 'DD/MM/YYYY', 'one date with a day over 12 settles the file');
});

test('without a status column a patient keeps their status; a column of the user’s choosing replaces the guess', async () => {
  const file = Buffer.from('PHN,Last,First,DOB,Sex,Dr,Attached\n910114983,Castillo,Ana,1994-06-21,F,117560,2025-07-20\n');
  const refused = await prepareCsv(db, clock, file, {});
  assert.equal(refused.ok ? [] : refused.problems.map((p) => p.message),
    ['Primary provider: choose the column that holds it', 'Confirmation date: choose the column that holds it']);
  const result = await importCsv(db, clock, file, { mapping: { provider: 'Dr', confirmedOn: 'Attached' } });
  assert.ok(result.ok, JSON.stringify(result));
  assert.is(await count(db, "SELECT count(*) FROM patients WHERE key = 'p15' AND status = 'deceased'"), 1);
});

test('records made in the portal, which had no key, get one, so a panel list can fill a panel added under Settings', async () => {
  const panelId = await addPanel(db, 'Portal Panel', { number: 'PNL-90001' });
  const keys = await db.execute({ sql: 'SELECT p.key, pr.key AS practitioner FROM panels p JOIN panel_practitioners pp ON pp.panel_id = p.id JOIN practitioners pr ON pr.id = pp.practitioner_id WHERE p.id = ?', args: [panelId] });
  assert.equal([keys.rows[0].key, keys.rows[0].practitioner], [`portal:panel:${panelId}`, String(keys.rows[0].practitioner)]);
  assert.match(String(keys.rows[0].practitioner), /^portal:practitioner:\d+$/);
  const result = await importCsv(db, clock, Buffer.from(`${HEADER}\n910004117,Doe,Jan,1980-01-31,F,PNL-90001,2026-01-02,,Active\n`), {});
  assert.ok(result.ok, JSON.stringify(result));
  assert.is(await count(db, 'SELECT count(*) FROM panel_members WHERE panel_id = ?', [panelId]), 1);
});

test('the migration keys the records an older portal made without one', async () => {
  const old = await openDatabase(`file:${join(mkdtempSync(join(tmpdir(), 'cpar-keys-')), 'old.db')}`);
  try {
    await migrate(old, readMigrations().filter((m) => m.version < 27));
    await old.batch([
      "INSERT INTO practitioners (name) VALUES ('Dr. Old')",
      "INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES ('123456789', 'Old', 'Ola', '1970-01-01', 'F')",
      "INSERT INTO panels (name, created_at) VALUES ('Old Panel', 0)",
    ], 'write');
    await migrate(old);
    const keys = await old.execute(`SELECT (SELECT key FROM practitioners) AS a, (SELECT key FROM patients) AS b, (SELECT key FROM panels) AS c`);
    assert.equal(Object.values(keys.rows[0]), ['portal:practitioner:1', 'portal:patient:1', 'portal:panel:1']);
  } finally {
    old.close();
  }
});

test.run();
