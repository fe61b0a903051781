// Generated panel snapshots, broken in every way a snapshot can be: for the properties that
// hold the monthly run's message to the reference builder and validator.
import fc from 'fast-check';
import type { PanelSnapshot, SnapshotPatient } from '../../src/domain/submissions/snapshot.ts';
import { text } from './support.ts';

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

export const snapshot: fc.Arbitrary<PanelSnapshot> = fc.record({
  panelId: fc.nat(),
  panelName: often(fc.string({ minLength: 250, maxLength: 260 }), fc.oneof(text, fc.constant('Dr. Moreau family practice'))),
  panelNumber: often(text, fc.constant('CPAR-000417')),
  practitioners: fc.array(fc.record({ name: text, practitionerId: fc.option(often(text, fc.constant('0412345'))) }), { maxLength: 3 }),
  patients: fc.array(patient, { maxLength: 12 }),
  // Mostly the runs whose Edmonton day the dates above straddle (15 November and 15 July)
  takenAt: often(fc.date({ min: new Date('2025-01-01'), max: new Date('2028-01-01'), noInvalidDate: true }),
    fc.constantFrom('2026-11-16T04:00:00Z', '2026-11-16T06:59:59.999Z', '2026-07-16T03:00:00Z', '2026-07-15T06:00:00Z').map((at) => new Date(at))),
});

