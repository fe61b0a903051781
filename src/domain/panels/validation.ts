import { edmontonDate } from '../time/edmonton.ts';
import type { PanelSnapshot, SnapshotPractitioner } from '../submissions/snapshot.ts';
import type { ReadinessWarning } from './readiness-warnings.ts';

export const MAX_PANEL_NAME_LENGTH = 255;

/** A panel name's length as Netcare counts it: characters (code points), not UTF-16 units or bytes. */
export function panelNameLength(name: string): number {
  let n = 0;
  for (const _ of name) n++;
  return n;
}

export type RuleReason =
  | 'name_too_long' | 'practitioner_without_id' | 'no_patients' | 'no_last_visit' | 'no_confirmation_date' | 'date_in_future';

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
  /** eligible patients whose birth date or confirmation date is after the run's day: a date that cannot be true */
  withFutureDate: number[];
};

export function factsOf(snapshot: PanelSnapshot): PanelFacts {
  const today = edmontonDate(snapshot.takenAt);
  return {
    panelName: snapshot.panelName,
    practitioners: snapshot.practitioners,
    patientCount: snapshot.patients.length,
    withoutVisit: snapshot.patients.filter((p) => p.lastVisitOn === null).map((p) => p.patientId),
    withoutConfirmation: snapshot.patients.filter((p) => p.confirmedOn === null).map((p) => p.patientId),
    withFutureDate: snapshot.patients.filter((p) => isAfter(p.birthDate, today) || isAfter(p.confirmedOn, today)).map((p) => p.patientId),
  };
}

/**
 * The five CPAR rules, all evaluated: any failure fails the submission before anything is
 * sent. The same function answers "is this panel ready?" before the 15th.
 */
export function validatePanel(snapshot: PanelSnapshot): Validation {
  return validateFacts(factsOf(snapshot));
}

/** Whether a day written YYYY-MM-DD comes after `today` (the database holds only real days). */
export function isAfter(day: string | null, today: string): boolean {
  return day !== null && day > today;
}

export function validateFacts(facts: PanelFacts): Validation {
  const judgement = judgeCounts({ ...facts, withoutVisit: facts.withoutVisit.length,
    withoutConfirmation: facts.withoutConfirmation.length, withFutureDate: facts.withFutureDate.length });
  const patientIdsOf = (reason: RuleReason) =>
    reason === 'no_last_visit' ? facts.withoutVisit : reason === 'no_confirmation_date' ? facts.withoutConfirmation
      : reason === 'date_in_future' ? facts.withFutureDate : [];
  return { ...judgement, failures: judgement.failures.map((f) => ({ ...f, patientIds: patientIdsOf(f.reason) })) };
}

/** The facts counted: enough to judge a panel, not to say which patients fail. */
export type PanelCounts = Omit<PanelFacts, 'withoutVisit' | 'withoutConfirmation' | 'withFutureDate'> & {
  withoutVisit: number;
  withoutConfirmation: number;
  withFutureDate: number;
};

/**
 * A validation without the patients: what "Ready" and its reasons need; readiness adds its
 * warnings (they never fail a submission).
 */
export type Judgement = { ok: boolean; failures: Omit<RuleFailure, 'patientIds'>[]; briefError: string | null; warnings?: ReadinessWarning[] };

/**
 * The five CPAR rules, and the one the message check would otherwise decide alone (a date
 * that cannot be true), on counted facts; `validateFacts` adds which patients fail.
 */
export function judgeCounts(counts: PanelCounts): Judgement {
  const failures: Omit<RuleFailure, 'patientIds'>[] = [];
  const nameLength = panelNameLength(counts.panelName);
  if (nameLength > MAX_PANEL_NAME_LENGTH) {
    failures.push({ reason: 'name_too_long',
      message: `The panel name is longer than ${MAX_PANEL_NAME_LENGTH} characters (${nameLength}).` });
  }
  const withoutId = counts.practitioners.filter((p) => !p.practitionerId?.trim()).map((p) => p.name);
  if (counts.practitioners.length === 0) {
    failures.push({ reason: 'practitioner_without_id', message: 'The panel has no practitioner.' });
  } else if (withoutId.length) {
    failures.push({ reason: 'practitioner_without_id',
      message: `${listNames(withoutId)} ${withoutId.length === 1 ? 'has' : 'have'} no Practitioner ID recorded.` });
  }
  if (counts.patientCount === 0) {
    failures.push({ reason: 'no_patients', message: 'The panel has no patients assigned.' });
  }
  if (counts.withoutVisit) {
    failures.push({ reason: 'no_last_visit', message: `${patients(counts.withoutVisit, 'has', 'have')} no last visit date.` });
  }
  if (counts.withoutConfirmation) {
    failures.push({ reason: 'no_confirmation_date',
      message: `${patients(counts.withoutConfirmation, 'has', 'have')} no confirmation date for this panel.` });
  }
  if (counts.withFutureDate) {
    failures.push({ reason: 'date_in_future',
      message: `${patients(counts.withFutureDate, 'has', 'have')} a birth date or confirmation date in the future.` });
  }
  return {
    ok: failures.length === 0,
    failures,
    briefError: failures.length ? failures.map((f) => f.message).join(' ') : null,
  };
}

/** A validation seen as a judgement: the same verdict and reasons, without the patients. */
export function judgementOf(validation: Validation): Judgement {
  return { ...validation, failures: validation.failures.map(({ reason, message }) => ({ reason, message })) };
}
