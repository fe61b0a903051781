// The monthly run writes each panel's message directly from the snapshot (encode.ts). Held
// to the reference builder and validator for generated snapshots, broken in every way a
// snapshot can be: the bytes must be JSON.stringify(buildCparGroup(s)) with everything past
// ASCII escaped, byte for byte, and the problems exactly validateCparGroup's.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import type { PanelSnapshot, SnapshotPatient } from '../../src/domain/snapshot.ts';
import { isAscii } from 'node:buffer';
import { asciiJson, encodeCparGroup, snapshotProblems } from '../../src/netcare/encode.ts';
import { buildCparGroup, validateCparGroup } from '../../src/netcare/payload.ts';
import { runs, text } from './support.ts';

const date = fc.oneof(
  { weight: 6, arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.constantFrom('2026-11-15', '2026-11-16', '2026-07-15', '2026-07-16', '2024-02-29', '2025-02-29', '2026-13-01', '0000-01-01', '', ' ') },
  { weight: 1, arbitrary: text },
);
const often = <T>(value: fc.Arbitrary<T>, usual: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: usual }, { weight: 1, arbitrary: value });

const patient: fc.Arbitrary<SnapshotPatient> = fc.record({
  patientId: fc.nat(),
  uli: often(text, fc.constantFrom('123456782', '987654321', '555000111', '12345678', ' 123456789')),
  lastName: often(text, fc.constantFrom('Okafor', 'Lindqvist', "O'Brien", 'Zoë "Z" Ng', 'Tremblay\\')),
  firstName: often(text, fc.constantFrom('Adaeze', 'Mats', 'Ève', '😀')),
  birthDate: date,
  gender: often(fc.constantFrom('Q', '', 'f', 'constructor', '__proto__') as fc.Arbitrary<string> as fc.Arbitrary<SnapshotPatient['gender']>, fc.constantFrom('F', 'M', 'X', 'U')),
  lastVisitOn: fc.option(date, { freq: 4 }),
  confirmedOn: fc.option(date, { freq: 4 }),
});

const snapshot: fc.Arbitrary<PanelSnapshot> = fc.record({
  panelId: fc.nat(),
  panelName: often(fc.string({ minLength: 250, maxLength: 260 }), fc.oneof(text, fc.constant('Dr. Moreau family practice'))),
  panelNumber: often(text, fc.constant('CPAR-000417')),
  practitioners: fc.array(fc.record({ name: text, practitionerId: fc.option(often(text, fc.constant('0412345'))) }), { maxLength: 3 }),
  patients: fc.array(patient, { maxLength: 12 }),
  // Mostly the runs whose Edmonton day the dates above straddle (15 November and 15 July)
  takenAt: often(fc.date({ min: new Date('2025-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }),
    fc.constantFrom('2026-11-16T04:00:00Z', '2026-11-16T06:59:59.999Z', '2026-07-16T03:00:00Z', '2026-07-15T06:00:00Z').map((at) => new Date(at))),
});

const encode = suite('the message written directly from a snapshot');

encode('is the reference Group, byte for byte, with exactly its problems', () => {
  fc.assert(fc.property(snapshot, fc.integer({ min: 1, max: 2 ** 40 }), (s, submissionId) => {
    const group = buildCparGroup(s, submissionId);
    const bytes = encodeCparGroup(s, submissionId);
    assert.ok(isAscii(bytes), 'the message is all ASCII');
    assert.is(bytes.toString('latin1'), asciiJson(JSON.stringify(group)));
    assert.equal(JSON.parse(bytes.toString('latin1')), JSON.parse(JSON.stringify(group)));
    assert.equal(snapshotProblems(s, submissionId), validateCparGroup(JSON.parse(JSON.stringify(group))));
  }), runs(400));
});

encode.run();
