import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase } from '../src/domain/database/db.ts';
import { cli, tempDir } from './support/processes.ts';
import { HL7_SHAPES } from './support/fhir.ts';

// `npm run cli -- import` with FHIR files, in a process of its own, on a temporary file database.
const test = suite('cli: FHIR import');
const fixture = fileURLToPath(HL7_SHAPES);

async function importing(args: string[]) {
  const env = { DATABASE_URL: `file:${join(tempDir('cpar-cli-fhir-'), 'cpar.db')}` };
  const proc = cli(['import', ...args], env);
  const code = await proc.exited;
  const db = await openDatabase(env.DATABASE_URL);
  const patients = Number((await db.execute('SELECT count(*) AS n FROM patients')).rows[0].n);
  db.close();
  return { code, out: proc.out(), err: proc.err(), patients };
}

test('a Bulk Data export folder imports, and what was skipped is reported', async () => {
  const result = await importing([fixture]);
  assert.is(result.code, 0, result.err);
  assert.match(result.out, 'Imported 5 FHIR file(s):');
  assert.match(result.out, 'patients: 4 created, 0 updated, 0 unchanged');
  assert.match(result.out, 'Skipped 4 resource(s) the import does not read: Encounter (planned) 1, Group (not an actual group of persons) 1, Observation 2.');
  assert.is(result.patients, 4);
});

test('NDJSON files named one by one and the example clinic Bundle import too', async () => {
  const files = readdirSync(fixture).filter((n) => n.endsWith('.ndjson')).map((n) => join(fixture, n));
  const ndjson = await importing(files);
  assert.is(ndjson.code, 0, ndjson.err);
  assert.is(ndjson.patients, 4);
  const bundle = await importing(['db/examples/clinic-import.fhir.json']);
  assert.is(bundle.code, 0, bundle.err);
  assert.match(bundle.out, 'Imported 1 FHIR file(s):');
  assert.is(bundle.patients, 40);
});

test('a broken resource: its file, line and location on standard error, exit 1, nothing written', async () => {
  const dir = tempDir('cpar-cli-fhir-broken-');
  mkdirSync(join(dir, 'export'));
  for (const name of readdirSync(fixture)) copyFileSync(join(fixture, name), join(dir, 'export', name));
  const patients = readFileSync(join(fixture, 'Patient.ndjson'), 'utf8');
  writeFileSync(join(dir, 'export', 'Patient.ndjson'), patients.replace('"birthDate":"1982-08-02"', '"birthDate":"1982-08"'));
  const result = await importing([join(dir, 'export')]);
  assert.is(result.code, 1);
  assert.match(result.err, `${join(dir, 'export', 'Patient.ndjson')} line 3: Patient.birthDate: must be a date written YYYY-MM-DD`);
  assert.match(result.err, 'Nothing was imported: 1 problem(s) in 5 file(s).');
  assert.not.match(result.err, /Notsowell|1982/);
  assert.is(result.patients, 0);
});

test.run();
