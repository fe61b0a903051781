import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { csvField, csvRecord, membersCsv, membersCsvFileName } from '../../../src/domain/panels/members-csv.ts';
import {
  addMembers, listMembers, matchingMemberIds, parseConfirmationDate, removeMember,
} from '../../../src/domain/panels/panel-members.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { validatePanel } from '../../../src/domain/panels/validation.ts';
import { freshDb } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

const AT = new Date('2026-11-10T12:00:00-07:00');

const csv = suite('CSV fields');

csv('plain fields are left alone; commas, quotes, CR and LF are quoted with quotes doubled (RFC 4180)', () => {
  assert.is(csvField('Smith'), 'Smith');
  assert.is(csvField(''), '');
  assert.is(csvField('Smith, Jan'), '"Smith, Jan"');
  assert.is(csvField('O"Brien'), '"O""Brien"');
  assert.is(csvField('two\nlines'), '"two\nlines"');
  assert.is(csvField('carriage\rreturn'), '"carriage\rreturn"');
  assert.is(csvRecord(['a', 'b,c']), 'a,"b,c"\r\n');
});

csv('a field that a spreadsheet would run as a formula starts with a single quote', () => {
  for (const start of ['=', '+', '-', '@', '\t']) assert.is(csvField(`${start}1+1`), `'${start}1+1`, JSON.stringify(start));
  assert.is(csvField('\r1'), '"\'\r1"', 'prefixed, then quoted for its CR');
  assert.is(csvField('=HYPERLINK("x","y")'), '"\'=HYPERLINK(""x"",""y"")"');
  assert.is(csvField('Anne-Marie'), 'Anne-Marie', 'only a leading character counts');
});

csv('the file name keeps only letters, digits, dot, dash and underscore, with the Edmonton date', () => {
  const panel = { id: 4, name: 'x', cparEnabled: true };
  assert.is(membersCsvFileName({ ...panel, panelNumber: 'PNL-0001' }, AT), 'panel-PNL-0001-members-2026-11-10.csv');
  assert.is(membersCsvFileName({ ...panel, panelNumber: '../a b"c;é' }, AT), 'panel-..-a-b-c---members-2026-11-10.csv');
  assert.is(membersCsvFileName({ ...panel, panelNumber: null }, new Date('2026-11-11T05:30:00Z')), 'panel-4-members-2026-11-10.csv');
});

csv.run();

const dates = suite('Confirmation dates');

dates('empty means today; a real past date is taken as typed', () => {
  assert.equal(parseConfirmationDate('', '2026-11-10'), { ok: true, date: '2026-11-10' });
  assert.equal(parseConfirmationDate(undefined, '2026-11-10'), { ok: true, date: '2026-11-10' });
  assert.equal(parseConfirmationDate(' 2024-02-29 ', '2026-11-10'), { ok: true, date: '2024-02-29' });
  assert.equal(parseConfirmationDate('2026-11-10', '2026-11-10'), { ok: true, date: '2026-11-10' });
});

dates('an impossible, malformed or future date is refused with a message saying why', () => {
  for (const typed of ['2026-02-29', '2026-13-01', '2026-1-5', '10/11/2026', 'today']) {
    const result = parseConfirmationDate(typed, '2026-11-10');
    assert.not.ok(result.ok, typed);
    if (!result.ok) assert.match(result.message, 'Enter the confirmation date as YYYY-MM-DD');
  }
  const future = parseConfirmationDate('2026-11-11', '2026-11-10');
  assert.equal(future, { ok: false, message: 'The confirmation date cannot be in the future: today is 2026-11-10.' });
});

dates.run();

const data = suite('Members data');

data('a problem filter is exactly the pipeline validation’s patient ids, whatever the statuses and visits', async () => {
  const db = await freshDb();
  const { panelId, patientIds } = await addClinicPanel(db, { name: 'Mixed', patients: 4, withoutVisit: 4, withoutConfirmation: 4 });
  // Ineligible patients in every group, and a visit only after today.
  for (const i of [0, 4, 8]) await db.execute({ sql: "UPDATE patients SET status = 'inactive' WHERE id = ?", args: [patientIds[i]] });
  await db.execute({ sql: 'INSERT INTO visits (patient_id, practitioner_id, visit_date) SELECT ?, id, ? FROM practitioners LIMIT 1', args: [patientIds[5], '2026-11-11'] });
  const validation = validatePanel((await extractPanel(db, panelId, AT))!);
  assert.equal(validation.failures.map((f) => f.reason), ['no_last_visit', 'no_confirmation_date']);
  for (const failure of validation.failures) {
    const problem = failure.reason;
    if (problem !== 'no_last_visit' && problem !== 'no_confirmation_date') continue;
    const listed = await listMembers(db, panelId, { q: '', page: 1, problem }, AT);
    assert.equal(listed.rows.map((r) => r.patientId).sort(), [...failure.patientIds].sort(), problem);
    assert.ok(listed.rows.every((r) => r.problems.includes(problem)));
    assert.equal((await matchingMemberIds(db, panelId, { q: '', page: 1, problem }, AT)).sort(), [...failure.patientIds].sort());
  }
  const everyone = await listMembers(db, panelId, { q: '', page: 1, problem: null }, AT);
  assert.is(everyone.rows.length, 12);
  assert.is(everyone.eligibleCount, 9);
  assert.ok(everyone.rows.filter((r) => r.status !== 'active').every((r) => r.problems.length === 0));
});

data('adding never duplicates a member; removing keeps the patient', async () => {
  const db = await freshDb();
  const a = await addClinicPanel(db, { name: 'A', patients: 1 });
  const b = await addClinicPanel(db, { name: 'B', patients: 2 });
  assert.equal(await addMembers(db, a.panelId, [...b.patientIds, a.patientIds[0], 99999, b.patientIds[0]]), { added: 2, addedIds: b.patientIds, alreadyMembers: 1, unknown: 1 });
  const rows = await db.execute({ sql: 'SELECT patient_id, confirmed_on FROM panel_members WHERE panel_id = ? ORDER BY patient_id', args: [a.panelId] });
  assert.equal(rows.rows.map((r) => [Number(r.patient_id), r.confirmed_on]), [[a.patientIds[0], '2026-06-01'], [b.patientIds[0], null], [b.patientIds[1], null]]);
  assert.equal(await removeMember(db, a.panelId, b.patientIds[0]), { uli: String((await db.execute({ sql: 'SELECT uli FROM patients WHERE id = ?', args: [b.patientIds[0]] })).rows[0].uli), name: 'Testperson, Pat0' });
  assert.is(await removeMember(db, a.panelId, b.patientIds[0]), null);
  assert.is(Number((await db.execute({ sql: 'SELECT count(*) AS n FROM panel_members WHERE patient_id = ?', args: [b.patientIds[0]] })).rows[0].n), 1, 'still on panel B');
});

data('the CSV streams in chunks by patient id, the same text as in one piece', async () => {
  const db = await freshDb();
  const { panelId } = await addClinicPanel(db, { name: 'Chunks', patients: 5 });
  const pieces: string[] = [];
  for await (const piece of membersCsv(db, panelId, AT, 2)) pieces.push(piece);
  assert.is(pieces.length, 4, 'header, then 2 + 2 + 1 members');
  const whole: string[] = [];
  for await (const piece of membersCsv(db, panelId, AT)) whole.push(piece);
  assert.is(pieces.join(''), whole.join(''));
  assert.is(whole.join('').split('\r\n').length, 7);
});

data.run();
