import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { validatePanel } from '../../../src/domain/panels/validation.ts';
import type { PanelSnapshot, SnapshotPatient } from '../../../src/domain/submissions/snapshot.ts';

const rules = suite('validation rules');

function patient(id: number, overrides: Partial<SnapshotPatient> = {}): SnapshotPatient {
  return { patientId: id, uli: String(100000000 + id), lastName: 'Doe', firstName: 'Jan', birthDate: '1980-01-31',
    gender: 'F', lastVisitOn: '2026-10-01', confirmedOn: '2026-01-02', ...overrides };
}

function panel(overrides: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return { panelId: 1, panelName: 'Dr. Lee — Main St', panelNumber: 'PNL-1',
    practitioners: [{ name: 'Dr. Ada Lee', practitionerId: '123456' }],
    patients: [patient(1), patient(2)], takenAt: new Date('2026-11-16T04:00:00Z'), ...overrides };
}

rules('a complete panel passes', () => {
  const v = validatePanel(panel());
  assert.ok(v.ok);
  assert.equal(v.failures, []);
  assert.is(v.briefError, null);
});

rules('255 characters pass, 256 fail — counted as characters, not bytes', () => {
  const multiByte = 'é'; // 2 bytes in UTF-8
  assert.ok(validatePanel(panel({ panelName: multiByte.repeat(255) })).ok);
  const long = validatePanel(panel({ panelName: multiByte.repeat(256) }));
  assert.equal(long.failures.map((f) => f.reason), ['name_too_long']);
  assert.is(long.briefError, 'The panel name is longer than 255 characters (256).');
  // an emoji is two UTF-16 units but one character
  assert.ok(validatePanel(panel({ panelName: '🩺'.repeat(255) })).ok);
  assert.not.ok(validatePanel(panel({ panelName: '🩺'.repeat(256) })).ok);
});

rules('a practitioner without a Practitioner ID fails; blank or spaces count as none', () => {
  for (const practitionerId of [null, '', '   ']) {
    const v = validatePanel(panel({ practitioners: [{ name: 'Dr. Ada Lee', practitionerId: '1' }, { name: 'Dr. Bo Chan', practitionerId }] }));
    assert.equal(v.failures.map((f) => f.reason), ['practitioner_without_id']);
    assert.is(v.briefError, 'Dr. Bo Chan has no Practitioner ID recorded.');
  }
});

rules('a panel with no patients fails', () => {
  const v = validatePanel(panel({ patients: [] }));
  assert.equal(v.failures.map((f) => f.reason), ['no_patients']);
  assert.is(v.briefError, 'The panel has no patients assigned.');
});

rules('patients with no last visit date fail, counted', () => {
  const v = validatePanel(panel({ patients: [patient(1, { lastVisitOn: null }), patient(2), patient(3, { lastVisitOn: null })] }));
  assert.equal(v.failures.map((f) => f.reason), ['no_last_visit']);
  assert.equal(v.failures[0].patientIds, [1, 3]);
  assert.is(v.briefError, '2 patients have no last visit date.');
});

rules('patients with no confirmation date fail, one said in the singular', () => {
  const v = validatePanel(panel({ patients: [patient(1), patient(2, { confirmedOn: null })] }));
  assert.equal(v.failures[0].patientIds, [2]);
  assert.is(v.briefError, '1 patient has no confirmation date for this panel.');
});

rules('every rule is evaluated, not only the first that fails', () => {
  const v = validatePanel(panel({
    panelName: 'x'.repeat(300),
    practitioners: [{ name: 'Dr. Bo Chan', practitionerId: null }],
    patients: [patient(1, { lastVisitOn: null, confirmedOn: null }), ...Array.from({ length: 11 }, (_, i) => patient(i + 2, { confirmedOn: null }))],
  }));
  assert.equal(v.failures.map((f) => f.reason), ['name_too_long', 'practitioner_without_id', 'no_last_visit', 'no_confirmation_date']);
  assert.match(v.briefError!, '12 patients have no confirmation date for this panel.');
  assert.match(v.briefError!, '1 patient has no last visit date.');
  const empty = validatePanel(panel({ panelName: 'y'.repeat(256), practitioners: [{ name: 'Dr. Bo Chan', practitionerId: ' ' }], patients: [] }));
  assert.equal(empty.failures.map((f) => f.reason), ['name_too_long', 'practitioner_without_id', 'no_patients']);
});

rules('messages carry counts, never patient names or ULIs', () => {
  const v = validatePanel(panel({ patients: [patient(1, { lastName: 'Zebulon', confirmedOn: null, lastVisitOn: null })] }));
  assert.not.match(v.briefError!, 'Zebulon');
  assert.not.match(v.briefError!, '100000001');
});

rules.run();
