import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import type { Db } from '../../../src/domain/database/db.ts';
import { importFhir, type FhirImportResult } from '../../../src/domain/import/fhir-import.ts';
import type { SourceFile } from '../../../src/domain/import/fhir-files.ts';
import { PRAC_ID_SYSTEM, ULI_SYSTEM } from '../../../src/netcare/payload.ts';
import { count, freshDb } from '../../support/app.ts';
import { clinicBundle, clinicView, hl7Files } from '../../support/fhir.ts';

const clock = new ManualClock('2026-11-10T12:00:00-07:00');
const rows = async (db: Db, sql: string) => (await db.execute(sql)).rows.map((r) => ({ ...r }));

async function importOk(db: Db, files: SourceFile[]) {
  const result = await importFhir(db, clock, files);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.file} ${p.line ?? p.entry}: ${p.location}: ${p.message}`).join('\n'));
  return result;
}
async function refused(db: Db, files: SourceFile[]): Promise<Extract<FhirImportResult, { ok: false }>> {
  const result = await importFhir(db, clock, files);
  if (result.ok) throw new Error('the import was accepted');
  return result;
}
const edited = (name: string, edit: (text: string) => string) => hl7Files().map((f) => (f.name === name ? { ...f, text: edit(f.text) } : f));
const nothingWritten = async (db: Db) => {
  for (const table of ['patients', 'practitioners', 'panels', 'visits', 'panel_members']) assert.is(await count(db, `SELECT count(*) FROM ${table}`), 0, table);
};

let db: Db;
const fhir = suite('FHIR import');
fhir.before.each(async () => {
  db = await freshDb();
});

fhir('an HL7-shaped Bulk Data export imports its patients, practitioners, visits and panel; other resources are skipped and counted', async () => {
  const result = await importOk(db, hl7Files());
  assert.equal(result.skipped, { 'Encounter (planned)': 1, 'Group (not an actual group of persons)': 1, Observation: 2 });
  assert.equal(await rows(db, 'SELECT key, uli, last_name, first_name, birth_date, gender, status FROM patients ORDER BY uli'), [
    { key: 'Patient/example', uli: '930000017', last_name: 'Chalmers', first_name: 'Peter', birth_date: '1974-12-25', gender: 'M', status: 'active' },
    { key: 'Patient/pat3', uli: '930000025', last_name: 'Notsowell', first_name: 'Simon', birth_date: '1982-04-11', gender: 'M', status: 'deceased' },
    { key: 'Patient/pat4', uli: '930000033', last_name: 'Notsowell', first_name: 'Sandy', birth_date: '1982-08-02', gender: 'F', status: 'active' },
    { key: 'Patient/f201', uli: '930000041', last_name: 'Bor', first_name: 'Roelof Olaf', birth_date: '1960-03-13', gender: 'X', status: 'inactive' },
  ]);
  assert.equal(await rows(db, 'SELECT key, name, practitioner_id FROM practitioners ORDER BY key'), [
    { key: 'Practitioner/example', name: 'Dr Adam Careful', practitioner_id: '210047' },
    { key: 'Practitioner/f201', name: 'Dokter Bronsig', practitioner_id: null },
  ]);
  assert.equal(await rows(db, 'SELECT key, name, panel_number, cpar_enabled, active, failure_recipient_id FROM panels'), [
    { key: 'Group/102', name: 'Dr. Careful family practice', panel_number: 'PNL-70102', cpar_enabled: 1, active: 1, failure_recipient_id: null },
  ]);
  // Patient/f201's membership is inactive: a former member, not on the panel.
  const view = await clinicView(db);
  assert.equal(view.members, [
    'Dr. Careful family practice | 930000017 | 2014-10-08',
    'Dr. Careful family practice | 930000025 | 2015-08-06',
    'Dr. Careful family practice | 930000033 | 2015-08-06',
  ]);
  assert.equal(view.panelPractitioners, ['Dr. Careful family practice | Dr Adam Careful']);
  // 23:30 on June 30 in Edmonton is July 1 in UTC: the visit is on the clinic's day.
  assert.equal(view.visits, ['930000017 | Dr Adam Careful | 2026-04-04', '930000033 | Dokter Bronsig | 2026-06-30', '930000033 | Dr Adam Careful | 2026-06-30']);
});

fhir('importing the same export again changes nothing', async () => {
  await importOk(db, hl7Files());
  const again = await importOk(db, hl7Files());
  assert.equal(again.counts, {
    practitioners: { created: 0, updated: 0, unchanged: 2 },
    patients: { created: 0, updated: 0, unchanged: 4 },
    panels: { created: 0, updated: 0, unchanged: 1 },
    visits: { created: 0, unchanged: 3 },
    panelPractitioners: { created: 0, removed: 0, unchanged: 1 },
    panelMembers: { created: 0, updated: 0, unchanged: 3, removed: 0 },
  });
});

fhir('a transaction Bundle linked by urn:uuid fullUrls and conditional references gives the same clinic', async () => {
  await importOk(db, hl7Files());
  const expected = await clinicView(db);
  // The same resources as a client's transaction: no ids, urn:uuid fullUrls, references rewritten.
  const resources = hl7Files().flatMap((f) => f.text.trim().split('\n').map((line) => JSON.parse(line)));
  const uuid = (i: number) => `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const urlOf = new Map(resources.map((r, i) => [`${r.resourceType}/${r.id}`, uuid(i)]));
  const text = JSON.stringify(resources.map(({ id: _id, ...r }) => r))
    .replaceAll(/"reference":"((?:Patient|Practitioner)\/[\w.-]+)"/g, (all, ref) => {
      if (ref === 'Practitioner/example') return `"reference":"Practitioner?identifier=${PRAC_ID_SYSTEM}|210047"`;
      return urlOf.has(ref) ? `"reference":"${urlOf.get(ref)}"` : all;
    });
  const bundle = { resourceType: 'Bundle', type: 'transaction',
    entry: JSON.parse(text).map((resource: Record<string, unknown>, i: number) => ({ fullUrl: uuid(i), resource, request: { method: 'POST', url: resource.resourceType } })) };
  const other = await freshDb();
  await importOk(other, [{ name: 'transaction.json', text: JSON.stringify(bundle) }]);
  assert.equal(await clinicView(other), expected);
  assert.equal((await rows(other, "SELECT key FROM patients WHERE uli = '930000017'"))[0].key, `Patient/${urlOf.get('Patient/example')?.slice(9)}`);
});

fhir('a broken NDJSON resource is reported by file, line and location, never by its values, and nothing is written', async () => {
  const files = edited('Patient.ndjson', (t) => t.replace('"birthDate":"1982-08-02"', '"birthDate":"1982-02-30"')
    .replace('"value":"930000017"', '"value":"93000001"').replace('"gender":"other"', '"gender":"o"'));
  const result = await refused(db, files.map((f) => (f.name === 'Group.ndjson' ? { ...f, text: f.text.replace('Patient/pat3', 'Patient/nobody') } : f)));
  assert.equal(result.problems, [
    { file: 'Patient.ndjson', line: 4, location: 'Patient.gender', message: 'must be female, male, other or unknown' },
    { file: 'Patient.ndjson', line: 1, location: 'Patient.identifier[1].value', message: 'must be 9 digits' },
    { file: 'Patient.ndjson', line: 3, location: 'Patient.birthDate', message: 'not a real date' },
    { file: 'Group.ndjson', line: 1, location: 'Group.member[2].entity', message: 'no Patient with this id in the files or the database' },
  ]);
  assert.not.match(JSON.stringify(result.problems), /1982|9300|Notsowell|Chalmers|Bor\b/);
  await nothingWritten(db);
});

fhir('a broken Bundle entry is reported by entry index and location; a duplicate names the other entry', async () => {
  const bundle = clinicBundle();
  const patients = bundle.entry.flatMap((e, i) => (e.resource.resourceType === 'Patient' ? [i] : []));
  const [first, second, third] = patients.map((i) => bundle.entry[i].resource);
  (second.identifier as { value: string }[])[0].value = (first.identifier as { value: string }[])[0].value;
  third.birthDate = '2026-11-11';
  const result = await refused(db, [{ name: 'clinic.json', text: JSON.stringify(bundle) }]);
  assert.equal(result.problems, [
    { file: 'clinic.json', entry: patients[1], location: `Bundle.entry[${patients[1]}].resource.identifier[0].value`,
      message: `duplicate ULI (also at Bundle.entry[${patients[0]}].resource.identifier[0].value (clinic.json entry ${patients[0]}))` },
    { file: 'clinic.json', entry: patients[2], location: `Bundle.entry[${patients[2]}].resource.birthDate`, message: 'is in the future (today is 2026-11-10)' },
  ]);
  await nothingWritten(db);
});

fhir('references it cannot follow, a resource without an id, a Group managed by no Practitioner are problems (one per place)', async () => {
  const group = { resourceType: 'Group', id: 'g', type: 'person', actual: true, name: 'Panel', managingEntity: { reference: 'Organization/1' },
    member: [{ entity: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000099' } }, { entity: { reference: '#p1' } }] };
  const patient = { resourceType: 'Patient', name: [{ family: 'X', given: ['Y'] }], gender: 'female', birthDate: '1990-01-01' };
  const encounter = { resourceType: 'Encounter', id: 'e', status: 'finished', subject: { reference: 'Patient/p' },
    participant: [{ individual: { reference: 'Practitioner/q' } }] };
  const bundle = { resourceType: 'Bundle', type: 'collection', entry: [group, patient, encounter].map((resource) => ({ resource })) };
  const result = await refused(db, [{ name: 'b.json', text: JSON.stringify(bundle) }]);
  assert.equal(result.problems.map((p) => `${p.entry} ${p.location}: ${p.message}`), [
    "1 Bundle.entry[1].resource.id: required: the record's key comes from it",
    '0 Bundle.entry[0].resource.managingEntity: must reference a Practitioner',
    '0 Bundle.entry[0].resource.member[0].entity: no entry of this Bundle has this fullUrl',
    '0 Bundle.entry[0].resource.member[1].entity: no contained resource has this id',
    '2 Bundle.entry[2].resource.period.start: required: the day of the visit',
    '2 Bundle.entry[2].resource.subject: no Patient with this id in the files or the database',
    '2 Bundle.entry[2].resource.participant[0].individual: no Practitioner with this id in the files or the database',
  ]);
});

fhir('a later export of Encounters alone finds its patient and practitioner in the database by identifier; a RelatedPerson is not a visit', async () => {
  await importOk(db, hl7Files());
  const encounter = (id: string, participant: unknown[]) => JSON.stringify({ resourceType: 'Encounter', id, status: 'finished',
    subject: { reference: `Patient?identifier=${ULI_SYSTEM}|930000017` }, participant, period: { start: '2026-10-01' } });
  const careful = { individual: { reference: `Practitioner?identifier=${PRAC_ID_SYSTEM}|210047` } };
  const mother = { individual: { reference: 'RelatedPerson/mother' } };
  const result = await importOk(db, [{ name: 'Encounter.ndjson', text: `${encounter('n1', [mother, careful])}\n${encounter('n2', [mother])}\n` }]);
  assert.equal(result.skipped, { 'Encounter (no Practitioner took part)': 1 });
  assert.equal(result.counts.visits, { created: 1, unchanged: 0 });
  assert.ok((await clinicView(db)).visits.includes('930000017 | Dr Adam Careful | 2026-10-01'));
});

fhir('Groups that are not panels are skipped and counted: inactive, of animals, not actual', async () => {
  const panel = (extra: Record<string, unknown>) => ({ resourceType: 'Group', type: 'person', actual: true, name: 'P',
    managingEntity: { reference: 'Practitioner/example' }, member: [{ entity: { reference: 'Patient/example' } }], ...extra });
  const groups = [panel({ id: 'a', active: false }), panel({ id: 'b', type: 'animal' }), panel({ id: 'c', actual: false })];
  const files = hl7Files().filter((f) => f.name !== 'Group.ndjson');
  const result = await importOk(db, [...files, { name: 'Group.ndjson', text: groups.map((g) => JSON.stringify(g)).join('\n') }]);
  assert.equal(result.skipped, { 'Encounter (planned)': 1, 'Group (inactive)': 1, 'Group (not an actual group of persons)': 2, Observation: 2 });
  assert.is(await count(db, 'SELECT count(*) FROM panels'), 0);
});

fhir('a panel practitioner in neither the files nor the database is reported at its extension', async () => {
  const group = { resourceType: 'Group', id: 'g', type: 'person', actual: true, name: 'P', managingEntity: { reference: 'Practitioner/example' },
    extension: [{ url: 'https://cpar.example/fhir/StructureDefinition/panel-practitioner', valueReference: { reference: 'Practitioner/example' } },
      { url: 'https://cpar.example/fhir/StructureDefinition/panel-practitioner', valueReference: { reference: 'Practitioner/ghost' } }] };
  const files = hl7Files().filter((f) => f.name !== 'Group.ndjson');
  const result = await refused(db, [...files, { name: 'Group.ndjson', text: JSON.stringify(group) }]);
  assert.equal(result.problems, [{ file: 'Group.ndjson', line: 1, location: 'Group.extension[1].valueReference',
    message: 'no Practitioner with this id in the files or the database' }]);
});

fhir('lines that are not JSON or not resources are problems of their file and line', async () => {
  const result = await refused(db, [{ name: 'Patient.ndjson', text: '{"resourceType":"Patient"\n\n[1]\n' }, { name: 'x.json', text: '{"a":1}' }]);
  assert.equal(result.problems, [
    { file: 'Patient.ndjson', line: 1, location: '(line)', message: 'not valid JSON' },
    { file: 'Patient.ndjson', line: 3, location: '(line)', message: 'not a FHIR resource (no resourceType)' },
    { file: 'x.json', location: '(file)', message: 'not a FHIR resource (no resourceType)' },
  ]);
});

fhir.run();
