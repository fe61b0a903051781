import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import type { Db } from '../../../src/domain/database/db.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { importClinicalRecord } from '../../../src/domain/import/import.ts';
import { importFhir } from '../../../src/domain/import/fhir-import.ts';
import type { SourceFile } from '../../../src/domain/import/fhir-files.ts';
import { readinessOfCparPanels } from '../../../src/domain/panels/readiness.ts';
import { buildCparGroup, type CparGroup, type FhirPatient } from '../../../src/netcare/payload.ts';
import { addUser, freshDb } from '../../support/app.ts';
import { CLINIC_BUNDLE, clinicView } from '../../support/fhir.ts';

// The same clinic as the JSON extract (db/examples/clinic-import.json) and as FHIR — the
// example Bundle beside it, and the Groups the portal itself sends — gives the same clinic.
const clock = new ManualClock('2026-11-10T12:00:00-07:00');
const EXTRACT = JSON.parse(readFileSync(new URL('../../../db/examples/clinic-import.json', import.meta.url), 'utf8'));
const BUNDLE: SourceFile = { name: 'clinic-import.fhir.json', text: readFileSync(CLINIC_BUNDLE, 'utf8') };

async function importJson(db: Db) {
  const result = await importClinicalRecord(db, clock, EXTRACT);
  assert.ok(result.ok);
}
async function importOk(db: Db, files: SourceFile[]) {
  const result = await importFhir(db, clock, files);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.file} ${p.entry}: ${p.location}: ${p.message}`).join('\n'));
  return result;
}

/** Readiness of every CPAR panel, by panel name. */
async function readiness(db: Db) {
  const names = new Map((await db.execute('SELECT id, name FROM panels')).rows.map((r) => [Number(r.id), String(r.name)]));
  const judged = await readinessOfCparPanels(db, clock.now());
  return Object.fromEntries([...judged].map(([id, j]) => [names.get(id), j]).sort());
}

/** A Group with its members (and their contained Patients) in ULI order: two databases number their patients differently. */
function byUli(group: CparGroup) {
  const contained = new Map(group.contained.map((r) => [`#${r.id}`, r]));
  const members = group.member.map((m) => {
    const { id: _id, ...patient } = contained.get(m.entity.reference) as FhirPatient;
    return { ...m, entity: patient };
  }).sort((a, b) => a.entity.identifier[0].value.localeCompare(b.entity.identifier[0].value));
  return { ...group, contained: group.contained.filter((r) => r.resourceType === 'Practitioner'), member: members };
}

let json: Db;
let fhir: Db;
const same = suite('the same clinic as JSON and as FHIR');
same.before.each(async () => {
  json = await freshDb();
  fhir = await freshDb();
  for (const db of [json, fhir]) await addUser(db, 'jsmith');
});

same('the example clinic as JSON and as its FHIR Bundle gives identical panels, members, visits and readiness', async () => {
  await importJson(json);
  const result = await importOk(fhir, [BUNDLE]);
  assert.equal(result.counts, {
    practitioners: { created: 4, updated: 0, unchanged: 0 }, patients: { created: 40, updated: 0, unchanged: 0 },
    panels: { created: 6, updated: 0, unchanged: 0 }, visits: { created: 78, unchanged: 0 },
    panelPractitioners: { created: 7, removed: 0, unchanged: 0 }, panelMembers: { created: 40, updated: 0, unchanged: 0, removed: 0 },
  });
  const fromJson = await clinicView(json);
  const fromFhir = await clinicView(fhir);
  for (const part of ['practitioners', 'panelPractitioners', 'members', 'visits'] as const) assert.equal(fromFhir[part], fromJson[part], part);
  // Two differences, both by design: a Group has no failure recipient (a new panel gets
  // none), and FHIR R4 has no "moved away" (the Bundle says active: false).
  assert.equal(fromFhir.panels, fromJson.panels.map((p) => p.replace(/ \| jsmith$/, ' | ')));
  assert.equal(fromFhir.patients, fromJson.patients.map((p) => p.replace(/moved_away$/, 'inactive')));
  assert.equal(await readiness(fhir), await readiness(json));
  assert.equal(Object.keys(await readiness(json)).length, 5);
});

same('the Bundle over the JSON import updates the same records: existing panels keep their failure recipient, a new one has none', async () => {
  await importJson(json);
  const before = await clinicView(json);
  const result = await importOk(json, [BUNDLE]);
  // Patients, practitioners and panels are found by ULI, Practitioner ID and panel number.
  // Dr. Brandt has no Practitioner ID and the walk-in panel no number: new records.
  assert.equal(result.counts.patients, { created: 0, updated: 1, unchanged: 39 });
  assert.equal(result.counts.practitioners, { created: 1, updated: 0, unchanged: 3 });
  assert.equal(result.counts.panels, { created: 1, updated: 0, unchanged: 5 });
  const after = await clinicView(json);
  assert.equal(after.panels.filter((p) => p.endsWith('jsmith')), before.panels.filter((p) => p.endsWith('jsmith')));
  assert.equal(after.panels.filter((p) => p.startsWith('Walk-in')).map((p) => p.split(' | ').at(-1)), ['jsmith', '']);
});

same("the portal's own submission Groups import into a fresh database and give back the same Groups", async () => {
  await importJson(json);
  const cpar = (await json.execute("SELECT id FROM panels WHERE cpar_enabled = 1 ORDER BY id")).rows.map((r) => Number(r.id));
  const sent = await Promise.all(cpar.map(async (id) => buildCparGroup((await extractPanel(json, id, clock.now()))!, 41)));
  const files = sent.map((group, i) => ({ name: `submission-${i}.json`, text: JSON.stringify(group) }));
  const result = await importOk(fhir, files);
  assert.equal(result.skipped, {});
  const ids = new Map((await fhir.execute('SELECT panel_number, id FROM panels')).rows.map((r) => [String(r.panel_number), Number(r.id)]));
  for (const group of sent) {
    const again = buildCparGroup((await extractPanel(fhir, ids.get(group.identifier[0].value)!, clock.now()))!, 41);
    assert.equal(byUli(again), byUli(group), group.name);
  }
  // The same Groups into the database that sent them: the same patients, found by ULI. A
  // message lists the active patients only, and a Group's members are the panel's whole
  // list: the 4 members who are not active leave their panels. Dr. Brandt, sent without a
  // Practitioner ID, cannot be recognised and comes back as a new practitioner.
  const back = await importOk(json, files);
  assert.equal(back.counts.patients, { created: 0, updated: 0, unchanged: 31 });
  assert.equal(back.counts.panelMembers, { created: 0, updated: 0, unchanged: 31, removed: 4 });
  assert.equal(back.counts.practitioners, { created: 1, updated: 0, unchanged: 3 });
});

same('a patient in two panels\' messages is one patient; two copies that disagree are a problem', async () => {
  await importJson(json);
  const [a, b] = await Promise.all([1, 2].map(async (id) => buildCparGroup((await extractPanel(json, id, clock.now()))!, 41)));
  // The first patient of the first message also on the second panel, as the portal would send it.
  b.contained.push({ ...(a.contained.find((r) => r.resourceType === 'Patient') as FhirPatient), id: 'shared' });
  b.member.push({ entity: { reference: '#shared' } });
  const files = [a, b].map((group, i) => ({ name: `m${i}.json`, text: JSON.stringify(group) }));
  const result = await importOk(fhir, files);
  const patients = new Set([a, b].flatMap((g) => g.contained.filter((r) => r.resourceType === 'Patient').map((r) => r.identifier[0].value)));
  assert.is(result.counts.patients.created, patients.size);
  const other = await freshDb();
  (b.contained.at(-1) as FhirPatient).birthDate = '1901-01-01';
  const refused = await importFhir(other, clock, [a, b].map((group, i) => ({ name: `m${i}.json`, text: JSON.stringify(group) })));
  assert.equal(refused.ok ? [] : refused.problems.map((p) => `${p.file}: ${p.location}: ${p.message}`),
    [`m1.json: Group.contained[${b.contained.length - 1}]: the same patient as Group.contained[1] (m0.json), with other values`]);
});

same.run();
