import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  buildCparGroup, isCalendarDate, validateCparGroup, summarizeProblems, LAST_VISIT_URL, PANEL_NUMBER_SYSTEM, PANEL_PRACTITIONER_URL,
  PRAC_ID_SYSTEM, SUBMISSION_ID_SYSTEM, ULI_SYSTEM, type CparGroup, type FhirPatient, type FhirPractitioner,
} from '../../src/netcare/payload.ts';
import { readReceipt } from '../../src/netcare-sim/receipt.ts';
import { healthInformation, panelSnapshot, PATIENTS } from './support/simulator.ts';

const build = suite('building the CPAR Group message');

const patientOf = (group: CparGroup, index: number) =>
  group.contained.find((r) => `#${r.id}` === group.member[index].entity.reference) as FhirPatient;

build('a complete panel builds a message the validator accepts', () => {
  assert.equal(validateCparGroup(buildCparGroup(panelSnapshot(), 42)), []);
});

build('the group carries the panel number, name, submission id and patient count', () => {
  const group = buildCparGroup(panelSnapshot(), 42);
  assert.is(group.resourceType, 'Group');
  assert.is(group.type, 'person');
  assert.is(group.actual, true);
  assert.is(group.name, 'Dr. Moreau family practice');
  assert.equal(group.identifier, [
    { system: PANEL_NUMBER_SYSTEM, value: 'CPAR-000417' },
    { system: SUBMISSION_ID_SYSTEM, value: '42' },
  ]);
  assert.is(group.quantity, 4);
  assert.is(group.member.length, 4);
});

build('the snapshot instant is written in Edmonton time, so its date is the clinic day', () => {
  assert.is(buildCparGroup(panelSnapshot(), 1).meta.lastUpdated, '2026-11-15T21:00:00.000-07:00');
  const summer = panelSnapshot({ takenAt: new Date('2026-07-16T03:00:00Z') });
  assert.is(buildCparGroup(summer, 1).meta.lastUpdated, '2026-07-15T21:00:00.000-06:00');
});

build('each practitioner is contained with the PRAC ID and the first one manages the group', () => {
  const group = buildCparGroup(panelSnapshot({ practitioners: [
    { name: 'Dr. Elise Moreau', practitionerId: '0412345' }, { name: 'NP Sam Tall', practitionerId: '0499999' },
  ] }), 1);
  const practitioners = group.contained.filter((r): r is FhirPractitioner => r.resourceType === 'Practitioner');
  assert.equal(practitioners.map((p) => p.identifier), [
    [{ system: PRAC_ID_SYSTEM, value: '0412345' }], [{ system: PRAC_ID_SYSTEM, value: '0499999' }],
  ]);
  assert.is(group.managingEntity?.reference, `#${practitioners[0].id}`);
  assert.equal(group.extension, practitioners.map((p) => ({ url: PANEL_PRACTITIONER_URL, valueReference: { reference: `#${p.id}` } })));
});

build('each member is a contained patient with ULI, official name, birth date, confirmation and last visit', () => {
  const group = buildCparGroup(panelSnapshot(), 1);
  const patient = patientOf(group, 0);
  assert.equal(patient.identifier, [{ system: ULI_SYSTEM, value: '123456782' }]);
  assert.equal(patient.name, [{ use: 'official', family: 'Okafor', given: ['Adaeze'] }]);
  assert.is(patient.birthDate, '1984-02-29');
  assert.equal(group.member[0].period, { start: '2025-03-14' });
  assert.equal(group.member[0].extension, [{ url: LAST_VISIT_URL, valueDate: '2026-10-02' }]);
});

build('genders map F, M, X, U to female, male, other, unknown', () => {
  const group = buildCparGroup(panelSnapshot(), 1);
  assert.equal(PATIENTS.map((p) => p.gender), ['F', 'M', 'X', 'U']);
  assert.equal([0, 1, 2, 3].map((i) => patientOf(group, i).gender), ['female', 'male', 'other', 'unknown']);
});

build.run();

const validate = suite('validating the CPAR Group message');

validate('an incomplete snapshot is reported member by member, with paths and no health information', () => {
  const patients = PATIENTS.map((p) => ({ ...p }));
  patients[0].uli = '12345678';
  patients[1] = { ...patients[1], lastName: ' ', firstName: '', birthDate: '1951-02-30' };
  patients[2] = { ...patients[2], confirmedOn: null, lastVisitOn: '2026-11-16' };
  patients[3] = { ...patients[3], uli: patients[2].uli, lastVisitOn: null, confirmedOn: '2026-13-01' };
  const group = buildCparGroup(panelSnapshot({ patients, practitioners: [{ name: 'Dr. Elise Moreau', practitionerId: null }] }), 1);
  const problems = validateCparGroup(group);
  assert.equal(problems, [
    'contained[0].identifier: practitioner has no PRAC ID',
    'member[0].entity: ULI must be 9 digits',
    'member[1].entity: family name is empty',
    'member[1].entity: given name is empty',
    'member[1].entity: birth date is not a valid date (YYYY-MM-DD)',
    'member[2].period.start: confirmation date is missing',
    'member[2].extension: last visit date is after the snapshot date',
    'member[3].entity: same ULI as member[2]',
    'member[3].period.start: confirmation date is not a valid date (YYYY-MM-DD)',
    'member[3].extension: last visit date is missing',
  ]);
  for (const value of healthInformation(patients).filter((v) => v.trim())) {
    assert.not.ok(problems.some((p) => p.includes(value)), `a problem reveals "${value}"`);
  }
});

validate('a date on the clinic day of the snapshot is accepted, the next day is not', () => {
  const onTheDay = panelSnapshot({ patients: [{ ...PATIENTS[0], lastVisitOn: '2026-11-15', confirmedOn: '2026-11-15' }] });
  assert.equal(validateCparGroup(buildCparGroup(onTheDay, 1)), []);
  const nextDay = panelSnapshot({ patients: [{ ...PATIENTS[0], birthDate: '2026-11-16' }] });
  assert.equal(validateCparGroup(buildCparGroup(nextDay, 1)), ['member[0].entity: birth date is after the snapshot date']);
});

validate('the group itself must be a Group with a panel number, a name, a practitioner and a matching quantity', () => {
  const group = buildCparGroup(panelSnapshot({ practitioners: [], panelNumber: '', panelName: 'x'.repeat(256) }), 1);
  const broken = { ...group, resourceType: 'Bundle', quantity: 3, meta: { lastUpdated: '2026-11-15' } };
  assert.equal(validateCparGroup(broken), [
    'resourceType: must be "Group"',
    'meta.lastUpdated: must be an instant with a time zone (YYYY-MM-DDThh:mm:ss±hh:mm)',
    'identifier: CPAR panel number is missing',
    'name: panel name must be 1 to 255 characters',
    'contained: the panel has no Practitioner',
    'managingEntity: must reference a contained Practitioner',
    'quantity: must equal the number of members (4)',
  ]);
});

validate('a panel name is counted in characters, as Netcare counts it: 255 emoji-laden characters pass, 256 do not', () => {
  const name = `${'a'.repeat(200)}${'😀'.repeat(55)}`; // 310 UTF-16 units
  const body = (panelName: string) => new TextEncoder().encode(JSON.stringify(buildCparGroup(panelSnapshot({ panelName }), 1)));
  assert.equal(validateCparGroup(buildCparGroup(panelSnapshot({ panelName: name }), 1)), []);
  assert.equal(readReceipt(body(name)).patientCount, 4, 'the simulator accepts it too');
  assert.equal(validateCparGroup(buildCparGroup(panelSnapshot({ panelName: `${name}b` }), 1)), ['name: panel name must be 1 to 255 characters']);
  assert.equal(readReceipt(body(`${name}b`)).problems, ['name: panel name must be 1 to 255 characters']);
});

validate('a member that points at no contained patient is reported', () => {
  const group = buildCparGroup(panelSnapshot(), 1);
  group.member[1].entity = { reference: '#nobody' };
  assert.equal(validateCparGroup(group), ['member[1].entity: must reference a contained Patient']);
});

validate('something that is not an object is refused at the root', () => {
  assert.equal(validateCparGroup('Group'), ['(root): must be a JSON object']);
  assert.equal(validateCparGroup(null), ['(root): must be a JSON object']);
});

validate('a long list of problems is summarized with how many more there are', () => {
  const problems = Array.from({ length: 13 }, (_, i) => `member[${i}].entity: ULI must be 9 digits`);
  const summary = summarizeProblems(problems);
  assert.match(summary, /^member\[0\]\.entity: ULI must be 9 digits; /);
  assert.match(summary, /member\[9\]\.entity: ULI must be 9 digits; and 3 more$/);
  assert.not.match(summary, 'member[10]');
});

validate('a calendar date is a real day written YYYY-MM-DD', () => {
  for (const real of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-11-30']) assert.ok(isCalendarDate(real), real);
  for (const wrong of ['2100-02-29', '2025-02-29', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '0000-01-01',
    '2025-1-01', '2025/01/01', '2025-01-01T00:00', '２０２５-01-01', '-025-01-01', '']) {
    assert.not.ok(isCalendarDate(wrong), wrong);
  }
});

validate.run();
