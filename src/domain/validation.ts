import type { PanelSnapshot, SnapshotPractitioner } from './snapshot.ts';

export const MAX_PANEL_NAME_LENGTH = 255;

export type RuleReason = 'name_too_long' | 'practitioner_without_id' | 'no_patients' | 'no_last_visit' | 'no_confirmation_date';

/** One failed rule, in a clinic user's words, with how many patients it concerns. */
export type RuleFailure = { reason: RuleReason; message: string; patientIds: number[] };

export type Validation = { ok: boolean; failures: RuleFailure[]; briefError: string | null };

const patients = (n: number, has: string, have: string) => (n === 1 ? `1 patient ${has}` : `${n} patients ${have}`);

function listNames(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What the rules look at: a snapshot reduced to the facts that decide them. */
export type PanelFacts = {
  panelName: string;
  practitioners: SnapshotPractitioner[];
  patientCount: number;
  /** eligible patients with no visit up to the run's day */
  withoutVisit: number[];
  /** eligible patients with no confirmation date for this panel */
  withoutConfirmation: number[];
};

export function factsOf(snapshot: PanelSnapshot): PanelFacts {
  return {
    panelName: snapshot.panelName,
    practitioners: snapshot.practitioners,
    patientCount: snapshot.patients.length,
    withoutVisit: snapshot.patients.filter((p) => p.lastVisitOn === null).map((p) => p.patientId),
    withoutConfirmation: snapshot.patients.filter((p) => p.confirmedOn === null).map((p) => p.patientId),
  };
}

/**
 * The five CPAR rules, all evaluated: any failure fails the submission before anything is
 * sent. The same function answers "is this panel ready?" before the 15th.
 */
export function validatePanel(snapshot: PanelSnapshot): Validation {
  return validateFacts(factsOf(snapshot));
}

export function validateFacts(snapshot: PanelFacts): Validation {
  const failures: RuleFailure[] = [];
  const nameLength = [...snapshot.panelName].length; // characters, not UTF-16 units or bytes
  if (nameLength > MAX_PANEL_NAME_LENGTH) {
    failures.push({ reason: 'name_too_long', patientIds: [],
      message: `The panel name is longer than ${MAX_PANEL_NAME_LENGTH} characters (${nameLength}).` });
  }
  const withoutId = snapshot.practitioners.filter((p) => !p.practitionerId?.trim()).map((p) => p.name);
  if (snapshot.practitioners.length === 0) {
    failures.push({ reason: 'practitioner_without_id', patientIds: [], message: 'The panel has no practitioner.' });
  } else if (withoutId.length) {
    failures.push({ reason: 'practitioner_without_id', patientIds: [],
      message: `${listNames(withoutId)} ${withoutId.length === 1 ? 'has' : 'have'} no Practitioner ID recorded.` });
  }
  if (snapshot.patientCount === 0) {
    failures.push({ reason: 'no_patients', patientIds: [], message: 'The panel has no patients assigned.' });
  }
  const noVisit = snapshot.withoutVisit;
  if (noVisit.length) {
    failures.push({ reason: 'no_last_visit', patientIds: noVisit,
      message: `${patients(noVisit.length, 'has', 'have')} no last visit date.` });
  }
  const unconfirmed = snapshot.withoutConfirmation;
  if (unconfirmed.length) {
    failures.push({ reason: 'no_confirmation_date', patientIds: unconfirmed,
      message: `${patients(unconfirmed.length, 'has', 'have')} no confirmation date for this panel.` });
  }
  return {
    ok: failures.length === 0,
    failures,
    briefError: failures.length ? failures.map((f) => f.message).join(' ') : null,
  };
}
