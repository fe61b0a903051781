import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import type { Db } from '../../../src/domain/database/db.ts';
import { importClinicalRecord, type ImportCounts, type Problem } from '../../../src/domain/import/import.ts';
import { runCli } from '../../../src/cli.ts';
import { panelReadiness } from '../../../src/domain/panels/readiness.ts';
import { openDatabase } from '../../../src/domain/database/db.ts';
import { addUser, count, freshDb } from '../../support/app.ts';

const EXAMPLE_PATH = new URL('../../../db/examples/clinic-import.json', import.meta.url);
const EXAMPLE_TEXT = readFileSync(EXAMPLE_PATH, 'utf8');
type Extract = {
  practitioners: Record<string, unknown>[]; patients: Record<string, unknown>[];
  visits: Record<string, unknown>[]; panels: (Record<string, unknown> & { members: Record<string, unknown>[] })[];
};
const example = (): Extract => JSON.parse(EXAMPLE_TEXT);
const clock = new ManualClock('2026-11-10T12:00:00-07:00');

async function importOk(db: Db, input: unknown, at = clock): Promise<ImportCounts> {
  const result = await importClinicalRecord(db, at, input);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.counts;
}

async function importProblems(db: Db, input: unknown): Promise<Problem[]> {
  const result = await importClinicalRecord(db, clock, input);
  if (result.ok) throw new Error('the import was accepted');
  return result.problems;
}

/** Every table, every row, in a stable order. */
async function dump(db: Db) {
  const tables = await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables.rows) out[String(name)] = (await db.execute(`SELECT * FROM "${name}" ORDER BY 1, 2`)).rows.map((r) => ({ ...r }));
  return out;
}

const rows = async (db: Db, sql: string, args: (string | number)[] = []) => (await db.execute({ sql, args })).rows.map((r) => ({ ...r }));

let db: Db;
const domain = suite('import');
domain.before.each(async () => {
  db = await freshDb();
  await addUser(db, 'jsmith');
});

domain('the example clinic imports whole: counts and the rows in every table', async () => {
  const counts = await importOk(db, example());
  assert.equal(counts, {
    practitioners: { created: 4, updated: 0, unchanged: 0 },
    patients: { created: 40, updated: 0, unchanged: 0 },
    panels: { created: 6, updated: 0, unchanged: 0 },
    visits: { created: 78, unchanged: 0 },
    panelPractitioners: { created: 7, removed: 0, unchanged: 0 },
    panelMembers: { created: 40, updated: 0, unchanged: 0, removed: 0 },
  });
  assert.equal(await rows(db, "SELECT name, practitioner_id FROM practitioners WHERE key = 'dr-brandt'"), [{ name: 'Dr. Felix Brandt', practitioner_id: null }]);
  assert.equal(await rows(db, "SELECT uli, last_name, first_name, birth_date, gender, status FROM patients WHERE key = 'p01'"),
    [{ uli: '910004117', last_name: 'Doe', first_name: 'Jan', birth_date: '1980-01-31', gender: 'F', status: 'active' }]);
  assert.equal(await rows(db, `SELECT pa.key, pa.panel_number, pa.cpar_enabled, pa.active, u.username, pa.created_at,
      (SELECT group_concat(pr.key) FROM panel_practitioners pp JOIN practitioners pr ON pr.id = pp.practitioner_id WHERE pp.panel_id = pa.id) AS practitioners,
      (SELECT count(*) FROM panel_members m WHERE m.panel_id = pa.id) AS members
    FROM panels pa LEFT JOIN users u ON u.id = pa.failure_recipient_id ORDER BY pa.id`), [
    { key: 'lee-main', panel_number: 'PNL-30112', cpar_enabled: 1, active: 1, username: 'jsmith', created_at: clock.now().getTime(), practitioners: 'dr-lee', members: 10 },
    { key: 'okoye-riverside', panel_number: 'PNL-30145', cpar_enabled: 1, active: 1, username: null, created_at: clock.now().getTime(), practitioners: 'dr-okoye', members: 9 },
    { key: 'brandt-locum', panel_number: 'PNL-30178', cpar_enabled: 1, active: 1, username: 'jsmith', created_at: clock.now().getTime(), practitioners: 'dr-brandt', members: 4 },
    { key: 'nakamura-family', panel_number: 'PNL-30190', cpar_enabled: 1, active: 1, username: 'jsmith', created_at: clock.now().getTime(), practitioners: 'dr-nakamura', members: 7 },
    { key: 'lee-eastgate', panel_number: 'PNL-30203', cpar_enabled: 1, active: 1, username: 'jsmith', created_at: clock.now().getTime(), practitioners: 'dr-lee', members: 5 },
    { key: 'walk-in', panel_number: null, cpar_enabled: 0, active: 1, username: 'jsmith', created_at: clock.now().getTime(), practitioners: 'dr-okoye,dr-nakamura', members: 5 },
  ]);
});

domain('the example clinic has each CPAR case the README promises', async () => {
  await importOk(db, example());
  // Per CPAR panel: members without a confirmation date, members with no visit with any practitioner, practitioners without ID.
  const cases = await rows(db, `SELECT pa.key,
      (SELECT count(*) FROM panel_members m WHERE m.panel_id = pa.id AND m.confirmed_on IS NULL) AS unconfirmed,
      (SELECT count(*) FROM panel_members m WHERE m.panel_id = pa.id AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = m.patient_id)) AS unseen,
      (SELECT count(*) FROM panel_practitioners pp JOIN practitioners pr ON pr.id = pp.practitioner_id WHERE pp.panel_id = pa.id AND pr.practitioner_id IS NULL) AS without_id
    FROM panels pa WHERE pa.cpar_enabled = 1 ORDER BY pa.id`);
  assert.equal(cases, [
    { key: 'lee-main', unconfirmed: 0, unseen: 0, without_id: 0 },
    { key: 'okoye-riverside', unconfirmed: 0, unseen: 0, without_id: 0 },
    { key: 'brandt-locum', unconfirmed: 0, unseen: 0, without_id: 1 },
    { key: 'nakamura-family', unconfirmed: 2, unseen: 0, without_id: 0 },
    { key: 'lee-eastgate', unconfirmed: 0, unseen: 1, without_id: 0 },
  ]);
  // The valid panels rely on visits with another practitioner of the clinic for some members.
  assert.ok(await count(db, `SELECT count(*) FROM panel_members m JOIN panels pa ON pa.id = m.panel_id AND pa.key IN ('lee-main', 'okoye-riverside')
    JOIN panel_practitioners pp ON pp.panel_id = pa.id
    WHERE NOT EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = m.patient_id AND v.practitioner_id = pp.practitioner_id)`) >= 2);
  assert.ok(await count(db, "SELECT count(*) FROM patients WHERE status <> 'active'") >= 3);
  assert.is(await count(db, "SELECT count(*) FROM visits WHERE visit_date NOT BETWEEN '2025-01-01' AND '2027-02-28'"), 0);
});

domain('importing the same file twice changes nothing', async () => {
  await importOk(db, example());
  const before = await dump(db);
  const counts = await importOk(db, example(), new ManualClock('2027-01-05T09:00:00-07:00'));
  for (const [kind, c] of Object.entries(counts)) {
    assert.equal({ ...c, unchanged: 0 }, Object.fromEntries(Object.keys(c).map((k) => [k, 0])), kind);
  }
  assert.is(counts.patients.unchanged, 40);
  assert.is(counts.visits.unchanged, 78);
  assert.equal(await dump(db), before);
});

domain('a changed record is updated by its key, the rest stay as they were', async () => {
  await importOk(db, example());
  const ids = await rows(db, "SELECT key, id FROM patients WHERE key IN ('p03', 'p04') ORDER BY key");
  const file = example();
  Object.assign(file.patients[2], { lastName: 'Sandhu-Grewal', status: 'moved_away' });
  file.practitioners[3].practitionerId = '130077';
  Object.assign(file.panels[3], { name: 'Nakamura Family Medicine — Downtown', failureRecipient: null });
  file.panels[3].members[2].confirmedOn = '2026-10-20';
  file.panels[0].failureRecipient = 'JSmith'; // the same user: usernames match case-insensitively
  file.panels[0].members.splice(9, 1);
  const counts = await importOk(db, file);
  assert.equal(counts.patients, { created: 0, updated: 1, unchanged: 39 });
  assert.equal(counts.practitioners, { created: 0, updated: 1, unchanged: 3 });
  assert.equal(counts.panels, { created: 0, updated: 1, unchanged: 5 });
  assert.equal(counts.panelMembers, { created: 0, updated: 1, unchanged: 38, removed: 1 });
  assert.equal(await rows(db, "SELECT key, id FROM patients WHERE key IN ('p03', 'p04') ORDER BY key"), ids);
  assert.equal(await rows(db, "SELECT last_name, status FROM patients WHERE key = 'p03'"), [{ last_name: 'Sandhu-Grewal', status: 'moved_away' }]);
  assert.is(await count(db, "SELECT count(*) FROM practitioners WHERE practitioner_id = '130077'"), 1);
  assert.equal(await rows(db, "SELECT name, failure_recipient_id IS NOT NULL AS has_recipient FROM panels WHERE key = 'nakamura-family'"),
    [{ name: 'Nakamura Family Medicine — Downtown', has_recipient: 0 }]);
  assert.is(await count(db, "SELECT count(*) FROM panel_members m JOIN patients p ON p.id = m.patient_id WHERE p.key = 'p26' AND m.confirmed_on = '2026-10-20'"), 1);
  assert.is(await count(db, "SELECT count(*) FROM panel_members m JOIN patients p ON p.id = m.patient_id WHERE p.key = 'p10'"), 0);
  assert.is(await count(db, "SELECT count(*) FROM patients WHERE key = 'p10'"), 1, 'a patient leaving a panel stays a patient');
});

domain("a panel's practitioner is replaced: the new one is linked before the old one goes", async () => {
  await importOk(db, example());
  const file = example();
  file.panels[0].practitioners = ['dr-okoye'];
  const counts = await importOk(db, file);
  assert.equal(counts.panelPractitioners, { created: 1, removed: 1, unchanged: 6 });
  assert.equal(await rows(db, `SELECT pr.key FROM panel_practitioners pp JOIN practitioners pr ON pr.id = pp.practitioner_id
    JOIN panels pa ON pa.id = pp.panel_id WHERE pa.key = 'lee-main'`), [{ key: 'dr-okoye' }]);
});

domain('visits are additive and references may name keys already in the database', async () => {
  await importOk(db, example());
  const counts = await importOk(db, {
    visits: [{ patient: 'p34', practitioner: 'dr-lee', date: '2026-12-01' }, { patient: 'p34', practitioner: 'dr-lee', date: '2026-12-01' }],
    panels: [{ ...example().panels[4], members: [{ patient: 'p34', confirmedOn: '2026-11-09' }] }],
  });
  assert.equal(counts.visits, { created: 1, unchanged: 0 }, 'a visit listed twice is one visit');
  assert.equal(counts.panelMembers, { created: 0, updated: 1, unchanged: 0, removed: 4 });
  assert.is(await count(db, 'SELECT count(*) FROM visits'), 79, 'visits absent from the file stay');
  assert.is(await count(db, 'SELECT count(*) FROM panels'), 6, 'panels absent from the file stay');
});

domain('a panel that had been deactivated is active again once imported', async () => {
  await importOk(db, example());
  await db.execute("UPDATE panels SET active = 0 WHERE key = 'walk-in'");
  const counts = await importOk(db, example());
  assert.equal(counts.panels, { created: 0, updated: 1, unchanged: 5 });
  assert.is(await count(db, 'SELECT count(*) FROM panels WHERE active = 0'), 0);
});

type Case = [title: string, edit: (file: Extract) => unknown, path: string, message: string];
const patient = (key: string, uli: string) => ({ key, uli, lastName: 'Quill', firstName: 'Ottoline', birthDate: '1970-01-01', gender: 'F', status: 'active' });
const CASES: Case[] = [
  ['a visit for an unknown patient', (f) => { f.visits.push({ patient: 'ghost', practitioner: 'dr-lee', date: '2026-01-05' }); }, '$.visits[78].patient', 'no patient with this key'],
  ['a visit with an unknown practitioner', (f) => { f.visits[0].practitioner = 'dr-who'; }, '$.visits[0].practitioner', 'no practitioner with this key'],
  ["an unknown panel practitioner", (f) => { f.panels[5].practitioners = ['dr-okoye', 'dr-who']; }, '$.panels[5].practitioners[1]', 'no practitioner with this key'],
  ['an unknown panel member', (f) => { f.panels[1].members[0].patient = 'ghost'; }, '$.panels[1].members[0].patient', 'no patient with this key'],
  ['a birth date that is not a real date', (f) => { f.patients[3].birthDate = '1980-02-30'; }, '$.patients[3].birthDate', 'not a real date "1980-02-30"'],
  ['a birth date in the year 0000, which no FHIR date has', (f) => { f.patients[3].birthDate = '0000-01-01'; }, '$.patients[3].birthDate', 'not a real date'],
  ['a birth date after the import day', (f) => { f.patients[3].birthDate = '2026-11-11'; }, '$.patients[3].birthDate', 'is in the future (today is 2026-11-10)'],
  ['a confirmation date after the import day', (f) => { f.panels[0].members[1].confirmedOn = '2026-11-11'; }, '$.panels[0].members[1].confirmedOn', 'is in the future (today is 2026-11-10)'],
  ['a visit date in another format', (f) => { f.visits[2].date = '01/05/2026'; }, '$.visits[2].date', 'must be a date written YYYY-MM-DD'],
  ['a confirmation date that is not a real date', (f) => { f.panels[0].members[1].confirmedOn = '2026-13-01'; }, '$.panels[0].members[1].confirmedOn', 'not a real date'],
  ['a patient key used twice', (f) => { f.patients.push(patient('p07', '999999999')); }, '$.patients[40].key', 'duplicate key (also at $.patients[6].key)'],
  ['a practitioner key used twice', (f) => { f.practitioners.push({ key: 'dr-lee', name: 'Dr. Lee again', practitionerId: null }); }, '$.practitioners[4].key', 'duplicate key'],
  ['a panel key used twice', (f) => { f.panels.push({ ...f.panels[0], panelNumber: 'PNL-99999' }); }, '$.panels[6].key', 'duplicate key (also at $.panels[0].key)'],
  ['a patient listed twice in one panel', (f) => { f.panels[2].members.push({ patient: 'p20', confirmedOn: null }); }, '$.panels[2].members[4].patient', 'listed twice in this panel'],
  ['a practitioner listed twice in one panel', (f) => { f.panels[0].practitioners = ['dr-lee', 'dr-lee']; }, '$.panels[0].practitioners[1]', 'listed twice in this panel'],
  ['a ULI used twice', (f) => { f.patients.push(patient('p41', '910004117')); }, '$.patients[40].uli', 'duplicate ULI (also at $.patients[0].uli)'],
  ['a panel number used twice', (f) => { f.panels[1].panelNumber = 'PNL-30112'; }, '$.panels[1].panelNumber', 'duplicate panel number'],
  ['an unknown failure recipient', (f) => { f.panels[2].failureRecipient = 'nobody'; }, '$.panels[2].failureRecipient', 'no active user has this username'],
  ['a ULI given as a number', (f) => { f.patients[0].uli = 910004117; }, '$.patients[0].uli', 'must be a string'],
  ['a ULI that is not 9 digits', (f) => { f.patients[5].uli = '91000411'; }, '$.patients[5].uli', 'must be 9 digits'],
  ['cparEnabled that is not a boolean', (f) => { f.panels[0].cparEnabled = 'yes'; }, '$.panels[0].cparEnabled', 'must be true or false'],
  ['a list that is not a list', (f) => ({ ...f, visits: {} }), '$.visits', 'must be a list'],
  ['a record that is not an object', (f) => { (f.visits as unknown[])[1] = 'p01 2026-01-05'; }, '$.visits[1]', 'must be an object'],
  ['a file that is not an object', () => [], '$', 'must be an object'],
  ['a missing required field', (f) => { delete f.patients[8].lastName; }, '$.patients[8].lastName', 'required'],
  ['a blank name', (f) => { f.practitioners[1].name = '  '; }, '$.practitioners[1].name', 'must not be blank'],
  ['an unknown gender', (f) => { f.patients[0].gender = 'female'; }, '$.patients[0].gender', 'must be one of F, M, X, U'],
  ['an unknown status', (f) => { f.patients[0].status = 'dead'; }, '$.patients[0].status', 'must be one of active, inactive, deceased, moved_away'],
  ['an unknown top-level field', (f) => ({ ...f, appointments: [] }), '$.appointments', 'unknown field'],
  ['an unknown record field', (f) => { f.patients[0].middleName = 'Q'; }, '$.patients[0].middleName', 'unknown field'],
  ['a panel with no practitioners', (f) => { f.panels[0].practitioners = []; }, '$.panels[0].practitioners', 'a panel needs at least one practitioner'],
  ['a CPAR panel without a panel number', (f) => { f.panels[1].panelNumber = null; }, '$.panels[1].panelNumber', 'required when cparEnabled is true'],
];

for (const [title, edit, path, message] of CASES) {
  domain(`refused, nothing written: ${title}`, async () => {
    const file = example();
    const problems = await importProblems(db, edit(file) ?? file);
    const found = problems.find((p) => p.path === path);
    assert.ok(found, `no problem at ${path}: ${JSON.stringify(problems)}`);
    assert.match(found.message, message);
    assert.is(await count(db, 'SELECT (SELECT count(*) FROM practitioners) + (SELECT count(*) FROM patients) + (SELECT count(*) FROM panels)'), 0);
  });
}

domain('a birth or confirmation date of the import day itself is accepted; the day is Edmonton’s, from the injected clock', async () => {
  const file = example();
  file.patients[3].birthDate = '2026-11-10';
  file.panels[0].members[1].confirmedOn = '2026-11-10';
  await importOk(db, file);
  const late = example();
  late.patients[4].birthDate = '2026-11-11';
  // 23:59 on the 10th in Edmonton is already the 11th in UTC: still refused.
  const result = await importClinicalRecord(db, new ManualClock('2026-11-11T06:59:00Z'), late);
  assert.equal(result.ok ? [] : result.problems.map((p) => p.path), ['$.patients[4].birthDate']);
  assert.ok((await importClinicalRecord(db, new ManualClock('2026-11-11T07:00:00Z'), late)).ok, 'accepted from Edmonton midnight');
});

domain('a real record\'s blanks are kept as not recorded, with a warning by path, and readiness names them', async () => {
  const file = example();
  const panel = file.panels.find((p) => p.cparEnabled === true && (p.members as unknown[]).length > 0)!;
  const index = file.panels.indexOf(panel);
  const lead = file.practitioners.findIndex((p) => p.key === (panel.practitioners as string[])[0]);
  file.practitioners[lead].practitionerId = '     ';
  panel.members[0].confirmedOn = '';
  panel.failureRecipient = ' ';
  const result = await importClinicalRecord(db, clock, file);
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.warnings.map((w) => w.path).sort(), [
    `$.panels[${index}].failureRecipient`, `$.panels[${index}].members[0].confirmedOn`, `$.practitioners[${lead}].practitionerId`].sort());
  assert.ok(result.warnings.every((w) => w.message === 'blank: stored as not recorded'));
  assert.equal(await rows(db, 'SELECT practitioner_id FROM practitioners WHERE key = ?', [String(file.practitioners[lead].key)]), [{ practitioner_id: null }]);
  assert.equal(await rows(db, 'SELECT failure_recipient_id FROM panels WHERE key = ?', [String(panel.key)]), [{ failure_recipient_id: null }]);
  assert.equal(await rows(db, `SELECT m.confirmed_on FROM panel_members m JOIN patients pt ON pt.id = m.patient_id JOIN panels p ON p.id = m.panel_id
                                WHERE p.key = ? AND pt.key = ?`, [String(panel.key), String(panel.members[0].patient)]), [{ confirmed_on: null }]);
  const panelId = Number((await rows(db, 'SELECT id FROM panels WHERE key = ?', [String(panel.key)]))[0].id);
  const judged = await panelReadiness(db, panelId, clock.now());
  const reasons = judged && !judged.ok ? judged.failures.map((f) => f.reason) : [];
  assert.ok(reasons.includes('practitioner_without_id') && reasons.includes('no_confirmation_date'), JSON.stringify(reasons));
});

domain('blanks in required values and impossible values still refuse the whole file', async () => {
  const file = example();
  file.panels[0].members[0].confirmedOn = '2026-02-30';
  file.patients[0].birthDate = ' ';
  (file.visits[0] as Record<string, unknown>).patient = 'nobody-here';
  const problems = await importProblems(db, file);
  assert.equal(problems.map((p) => p.path).sort(), ['$.panels[0].members[0].confirmedOn', '$.patients[0].birthDate', '$.visits[0].patient']);
  assert.is(await count(db, 'SELECT count(*) FROM patients'), 0);
});

domain('every problem is reported, and none quotes a name or a ULI', async () => {
  const file = example();
  file.patients[0].uli = '12345';
  file.patients[1].birthDate = 'Doe';
  file.patients.push({ ...file.patients[2] });
  file.visits.push({ patient: 'doe-jan', practitioner: 'dr-lee', date: '2026-02-29' });
  const problems = await importProblems(db, file);
  assert.equal(problems.map((p) => p.path), ['$.patients[0].uli', '$.patients[1].birthDate', '$.patients[40].key', '$.patients[40].uli',
    '$.visits[78].date', '$.visits[78].patient']);
  const text = JSON.stringify(problems);
  for (const secret of ['12345', 'Doe', 'Jan', 'Sandhu', 'Priya', '910019955', 'doe-jan']) assert.not.match(text, secret);
});

domain('a file with a problem writes nothing into a clinic that has data', async () => {
  await importOk(db, example());
  const before = await dump(db);
  const file = example();
  file.patients[0].lastName = 'Changed';
  file.patients.push(patient('p41', '923456789'));
  file.visits.push({ patient: 'p41', practitioner: 'dr-lee', date: '2026-02-30' });
  assert.equal((await importProblems(db, file)).map((p) => p.path), ['$.visits[78].date']);
  assert.equal(await dump(db), before);
});

domain('a ULI or panel number held by another record in the database is refused', async () => {
  await db.execute("INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES ('910004117', 'Entered', 'ByHand', '1990-01-01', 'M')");
  await db.execute("INSERT INTO panels (name, panel_number, cpar_enabled, created_at) VALUES ('Old panel', 'PNL-30145', 1, 0)");
  const problems = await importProblems(db, example());
  assert.equal(problems, [
    { path: '$.patients[0].uli', message: 'already belongs to another patient in the database' },
    { path: '$.panels[1].panelNumber', message: 'already belongs to another panel in the database' },
  ]);
});

domain.run();

const cli = suite('cli import');
const dir = mkdtempSync(join(tmpdir(), 'cpar-import-cli-'));
const url = `file:${join(dir, 'cli.db')}`;

async function run(argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env: { DATABASE_URL: url }, readStdin: async () => stdin, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function patientCount() {
  const cliDb = await openDatabase(url);
  try {
    return await count(cliDb, 'SELECT count(*) FROM patients');
  } finally {
    cliDb.close();
  }
}

cli('import of the example file prints the counts and exits 0', async () => {
  assert.is((await run(['user', 'add', 'jsmith', '--name', 'Jan Smith'], 'a long enough password\n')).code, 0);
  const result = await run(['import', EXAMPLE_PATH.pathname]);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, 'patients: 40 created, 0 updated, 0 unchanged');
  const again = await run(['import', EXAMPLE_PATH.pathname]);
  assert.match(again.out, 'patients: 0 created, 0 updated, 40 unchanged');
});

cli('blank optional values are imported as not recorded and listed by path', async () => {
  const file = example();
  file.practitioners[0].practitionerId = ' ';
  const path = join(dir, 'blanks.json');
  writeFileSync(path, JSON.stringify(file));
  const result = await run(['import', path]);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, '1 blank value(s) stored as not recorded');
  assert.match(result.out, '$.practitioners[0].practitionerId: blank: stored as not recorded');
});

cli('a file with problems prints each path and exits 1, nothing imported', async () => {
  const file = example();
  file.patients[3].birthDate = '1980-02-30';
  file.patients[4].uli = '1';
  file.patients.push(patient('p41', '923456789'));
  const path = join(dir, 'bad.json');
  writeFileSync(path, JSON.stringify(file));
  const result = await run(['import', path]);
  assert.is(result.code, 1);
  assert.match(result.err, '$.patients[3].birthDate: not a real date "1980-02-30"');
  assert.match(result.err, '$.patients[4].uli: must be 9 digits');
  assert.is(await patientCount(), 40);
});

cli('invalid JSON or an unreadable file is named, exit 1', async () => {
  const path = join(dir, 'broken.json');
  writeFileSync(path, '{"patients": [{"lastName": Doe}]}');
  const broken = await run(['import', path]);
  assert.is(broken.code, 1);
  assert.match(broken.err, `${path} is not valid JSON`);
  assert.not.match(broken.err, 'Doe');
  const missing = await run(['import', join(dir, 'missing.json')]);
  assert.is(missing.code, 1);
  assert.match(missing.err, 'Cannot read');
});

cli('import without a file prints the usage, exit 2', async () => {
  const result = await run(['import']);
  assert.is(result.code, 2);
  assert.match(result.err, 'Usage: npm run cli');
  assert.match(result.err, 'import <file.json>');
});

cli.run();
