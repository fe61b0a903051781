// The CPAR submission message. No public specification exists, so this is the project's own
// modelling on FHIR R4: a Group of contained Patients. The ULI system is the registered Canadian
// Baseline URI for Alberta health numbers; every other URI below is this project's invention,
// kept under cpar.example so nobody mistakes it for an Alberta Health one. See README.md.
import type { PanelSnapshot, SnapshotPatient, SnapshotPractitioner } from '../domain/submissions/snapshot.ts';
import { edmontonDate, edmontonParts } from '../domain/time/edmonton.ts';
import { MAX_PANEL_NAME_LENGTH, panelNameLength } from '../domain/panels/validation.ts';

export const ULI_SYSTEM = 'https://fhir.infoway-inforoute.ca/NamingSystem/ca-ab-patient-healthcare-id';
export const PRAC_ID_SYSTEM = 'https://cpar.example/fhir/NamingSystem/ab-practitioner-id';
export const PANEL_NUMBER_SYSTEM = 'https://cpar.example/fhir/NamingSystem/cpar-panel-number';
export const SUBMISSION_ID_SYSTEM = 'https://cpar.example/fhir/NamingSystem/portal-submission-id';
export const LAST_VISIT_URL = 'https://cpar.example/fhir/StructureDefinition/last-visit-date';
export const PANEL_PRACTITIONER_URL = 'https://cpar.example/fhir/StructureDefinition/panel-practitioner';

export type Identifier = { system: string; value: string };
export type Reference = { reference: string };
export type FhirGender = 'female' | 'male' | 'other' | 'unknown';

export type FhirPractitioner = {
  resourceType: 'Practitioner';
  id: string;
  identifier: Identifier[];
  name: { text: string }[];
};

export type FhirPatient = {
  resourceType: 'Patient';
  id: string;
  identifier: Identifier[];
  name: { use: 'official'; family: string; given: string[] }[];
  /** absent when the clinic's code is none of F, M, X, U: the receiver then refuses the message */
  gender?: FhirGender;
  birthDate: string;
};

export type GroupMember = {
  entity: Reference;
  /** starts on the confirmation date; absent when the patient never confirmed */
  period?: { start: string };
  /** the last visit date; absent when there is none */
  extension?: { url: string; valueDate: string }[];
};

export type CparGroup = {
  resourceType: 'Group';
  meta: { lastUpdated: string };
  identifier: Identifier[];
  /** every practitioner of the panel: R4 allows only one managingEntity */
  extension: { url: string; valueReference: Reference }[];
  active: true;
  type: 'person';
  actual: true;
  name: string;
  quantity: number;
  managingEntity?: Reference;
  contained: (FhirPractitioner | FhirPatient)[];
  member: GroupMember[];
};

const FHIR_GENDER: Record<SnapshotPatient['gender'], FhirGender> = { F: 'female', M: 'male', X: 'other', U: 'unknown' };

/**
 * The message for one panel snapshot. It is built even from an incomplete snapshot (a missing
 * PRAC ID, confirmation or visit date is simply absent) so that validateCparGroup can name
 * every problem. member[i] is snapshot.patients[i].
 */
export function buildCparGroup(snapshot: PanelSnapshot, submissionId: number): CparGroup {
  const practitioners = snapshot.practitioners.map(toPractitioner);
  return {
    resourceType: 'Group',
    meta: { lastUpdated: edmontonInstant(snapshot.takenAt) },
    identifier: [
      { system: PANEL_NUMBER_SYSTEM, value: snapshot.panelNumber },
      { system: SUBMISSION_ID_SYSTEM, value: String(submissionId) },
    ],
    extension: practitioners.map((p) => ({ url: PANEL_PRACTITIONER_URL, valueReference: { reference: `#${p.id}` } })),
    active: true,
    type: 'person',
    actual: true,
    name: snapshot.panelName,
    quantity: snapshot.patients.length,
    ...(practitioners.length > 0 ? { managingEntity: { reference: `#${practitioners[0].id}` } } : {}),
    contained: [...practitioners, ...snapshot.patients.map(toPatient)],
    member: snapshot.patients.map(toMember),
  };
}

function toPractitioner(p: SnapshotPractitioner, index: number): FhirPractitioner {
  return {
    resourceType: 'Practitioner',
    id: `practitioner-${index}`,
    identifier: p.practitionerId ? [{ system: PRAC_ID_SYSTEM, value: p.practitionerId }] : [],
    name: [{ text: p.name }],
  };
}

function toPatient(p: SnapshotPatient, index: number): FhirPatient {
  return {
    resourceType: 'Patient',
    id: `patient-${index}`,
    identifier: [{ system: ULI_SYSTEM, value: p.uli }],
    name: [{ use: 'official', family: p.lastName, given: [p.firstName] }],
    gender: fhirGender(p.gender),
    birthDate: p.birthDate,
  };
}

function toMember(p: SnapshotPatient, index: number): GroupMember {
  return {
    entity: { reference: `#patient-${index}` },
    ...(p.confirmedOn ? { period: { start: p.confirmedOn } } : {}),
    ...(p.lastVisitOn ? { extension: [{ url: LAST_VISIT_URL, valueDate: p.lastVisitOn }] } : {}),
  };
}

/**
 * The instant written with Edmonton's offset, so its date part is the clinic's calendar day:
 * the receiver checks "not in the future" against that day, not a UTC one.
 */
function edmontonInstant(at: Date): string {
  const local = edmontonParts(at);
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const offsetMinutes = Math.round((wall - (at.getTime() - (at.getTime() % 60_000))) / 60_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${edmontonDate(at)}T${pad(local.hour)}:${pad(local.minute)}:${pad(at.getUTCSeconds())}.${pad(at.getUTCMilliseconds(), 3)}${offset}`;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** The FHIR gender of a clinic code; undefined for anything else. */
export function fhirGender(code: string): FhirGender | undefined {
  return Object.hasOwn(FHIR_GENDER, code) ? FHIR_GENDER[code as SnapshotPatient['gender']] : undefined;
}

const FHIR_GENDERS: readonly unknown[] = Object.values(FHIR_GENDER);

/**
 * Every problem that makes a message unacceptable, as "path: problem". Used by the adapter
 * before sending and by the simulator on receipt. Messages name positions (member[i]) and
 * never values: a ULI, name or birth date must not end up in a log or an error column.
 */
export function validateCparGroup(value: unknown): string[] {
  if (!isRecord(value)) return ['(root): must be a JSON object'];
  const problems: string[] = [];
  if (value.resourceType !== 'Group') problems.push('resourceType: must be "Group"');
  if (value.type !== 'person') problems.push('type: must be "person"');
  if (value.actual !== true) problems.push('actual: must be true');

  const instant = isRecord(value.meta) && typeof value.meta.lastUpdated === 'string'
    ? INSTANT.exec(value.meta.lastUpdated) : null;
  const today = instant && isCalendarDate(instant[1]) ? instant[1] : null;
  if (!today) problems.push('meta.lastUpdated: must be an instant with a time zone (YYYY-MM-DDThh:mm:ss±hh:mm)');

  const identifiers = Array.isArray(value.identifier) ? value.identifier : [];
  if (!identifierValue(identifiers, PANEL_NUMBER_SYSTEM)) problems.push('identifier: CPAR panel number is missing');
  if (!identifierValue(identifiers, SUBMISSION_ID_SYSTEM)) problems.push('identifier: portal submission id is missing');
  if (typeof value.name !== 'string' || value.name.trim() === '' || panelNameLength(value.name) > MAX_PANEL_NAME_LENGTH) {
    problems.push('name: panel name must be 1 to 255 characters');
  }

  const contained = Array.isArray(value.contained) ? value.contained.filter(isRecord) : [];
  const byReference = new Map(contained.map((r) => [`#${String(r.id)}`, r]));
  const practitioners = contained.flatMap((r, i) => (r.resourceType === 'Practitioner' ? [[r, i] as const] : []));
  if (practitioners.length === 0) problems.push('contained: the panel has no Practitioner');
  for (const [practitioner, i] of practitioners) {
    if (!identifierValue(practitioner.identifier, PRAC_ID_SYSTEM)) problems.push(`contained[${i}].identifier: practitioner has no PRAC ID`);
  }
  if (resolve(byReference, value.managingEntity)?.resourceType !== 'Practitioner') {
    problems.push('managingEntity: must reference a contained Practitioner');
  }

  if (!Array.isArray(value.member)) return [...problems, 'member: must be a list'];
  if (value.quantity !== value.member.length) {
    problems.push(`quantity: must equal the number of members (${value.member.length})`);
  }
  const seenUlis = new Map<string, number>();
  value.member.forEach((member, i) => memberProblems(problems, member, i, byReference, today, seenUlis));
  return problems;
}

// Runs once per patient of every panel received, so it adds to `problems` instead of
// building lists of its own, and writes a path only for a problem.
function memberProblems(
  problems: string[], member: unknown, index: number, byReference: Map<string, Record<string, unknown>>,
  today: string | null, seenUlis: Map<string, number>,
): void {
  const patient = isRecord(member) ? resolve(byReference, member.entity) : undefined;
  if (!isRecord(member) || patient?.resourceType !== 'Patient') {
    problems.push(`member[${index}].entity: must reference a contained Patient`);
    return;
  }
  const uli = identifierValue(patient.identifier, ULI_SYSTEM);
  if (!uli || !/^\d{9}$/.test(uli)) problems.push(`member[${index}].entity: ULI must be 9 digits`);
  else if (seenUlis.has(uli)) problems.push(`member[${index}].entity: same ULI as member[${seenUlis.get(uli)}]`);
  else seenUlis.set(uli, index);

  const name = Array.isArray(patient.name) ? patient.name.find((n) => isRecord(n) && n.use === 'official') : undefined;
  if (!isRecord(name) || !isFilled(name.family)) problems.push(`member[${index}].entity: family name is empty`);
  if (!isRecord(name) || !Array.isArray(name.given) || !isFilled(name.given[0])) problems.push(`member[${index}].entity: given name is empty`);
  if (!FHIR_GENDERS.includes(patient.gender)) problems.push(`member[${index}].entity: gender must be female, male, other or unknown`);
  dateProblem(problems, index, '.entity', 'birth date', patient.birthDate, today);

  const start = isRecord(member.period) ? member.period.start : undefined;
  dateProblem(problems, index, '.period.start', 'confirmation date', start, today);
  const lastVisit = Array.isArray(member.extension)
    ? member.extension.find((e) => isRecord(e) && e.url === LAST_VISIT_URL) : undefined;
  dateProblem(problems, index, '.extension', 'last visit date', isRecord(lastVisit) ? lastVisit.valueDate : undefined, today);
}

/** The problem with member[index]'s date at `field`, if any. */
export function dateProblem(problems: string[], index: number, field: string, label: string, value: unknown, today: string | null): void {
  if (value === undefined || value === null || value === '') problems.push(`member[${index}]${field}: ${label} is missing`);
  else if (typeof value !== 'string' || !isCalendarDate(value)) problems.push(`member[${index}]${field}: ${label} is not a valid date (YYYY-MM-DD)`);
  else if (today && value > today) problems.push(`member[${index}]${field}: ${label} is after the snapshot date`);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A real day written YYYY-MM-DD (year 0001 to 9999, as FHIR allows). */
export function isCalendarDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  return isRealDay(digits(value, 0, 4), digits(value, 5, 7), digits(value, 8, 10));
}

/**
 * The ten bytes at `at` as a day, yyyymmdd, when they are one written YYYY-MM-DD (as
 * isCalendarDate); -1 otherwise. For readers of messages and lists as bytes.
 */
export function calendarDayAt(bytes: Uint8Array, at: number): number {
  if (at + 10 > bytes.length || bytes[at + 4] !== 45 || bytes[at + 7] !== 45) return -1;
  let year = 0;
  for (let i = at; i < at + 4; i++) year = year * 10 + digitAt(bytes, i);
  const month = digitAt(bytes, at + 5) * 10 + digitAt(bytes, at + 6);
  const day = digitAt(bytes, at + 8) * 10 + digitAt(bytes, at + 9);
  return isRealDay(year, month, day) ? year * 10_000 + month * 100 + day : -1;
}

/** The digit at `at`, or a large negative number (that no sum of digits makes positive). */
function digitAt(bytes: Uint8Array, at: number): number {
  const d = bytes[at] - 48;
  return d >= 0 && d <= 9 ? d : -1e6;
}

/** Whether year-month-day is a real day of years 0001 to 9999 (negative parts are not). */
function isRealDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/** The number written by value[from, to), or -1 when a character is not a digit. */
function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function identifierValue(identifiers: unknown, system: string): string | undefined {
  if (!Array.isArray(identifiers)) return undefined;
  const found = identifiers.find((i) => isRecord(i) && i.system === system && isFilled(i.value));
  return found ? String(found.value) : undefined;
}

function resolve(byReference: Map<string, Record<string, unknown>>, reference: unknown) {
  return isRecord(reference) && typeof reference.reference === 'string' ? byReference.get(reference.reference) : undefined;
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems as one line for a reason field: a panel of thousands can fail thousands of ways. */
export function summarizeProblems(problems: string[], shown = 10): string {
  const more = problems.length - shown;
  return problems.slice(0, shown).join('; ') + (more > 0 ? `; and ${more} more` : '');
}
