// The CPAR Group straight from a snapshot to its wire text, and its problems straight from the
// snapshot: the monthly run sends a province's panels (a gigabyte of FHIR), and building
// millions of objects only to stringify them again was most of its time. buildCparGroup and
// validateCparGroup (payload.ts) stay the definition: a property test holds this file to
// JSON.stringify(buildCparGroup(s)) and validateCparGroup(buildCparGroup(s)), byte for byte.
import type { PanelSnapshot, SnapshotPatient } from '../domain/snapshot.ts';
import { edmontonDate } from '../domain/edmonton.ts';
import {
  buildCparGroup, dateProblem, validateCparGroup, fhirGender, LAST_VISIT_URL, ULI_SYSTEM, type CparGroup,
} from './payload.ts';

/** A message ready to send: its text, and every problem that makes it unacceptable. */
export type CparMessage = { text: string; problems: string[] };

/** From a Group already built (tests, tools): the reference path. */
export function messageFromGroup(group: CparGroup): CparMessage {
  return { text: JSON.stringify(group), problems: validateCparGroup(group) };
}

/** From a snapshot, without building the Group: what the monthly run sends. */
export function messageFromSnapshot(snapshot: PanelSnapshot, submissionId: number): CparMessage {
  return { text: encodeCparGroup(snapshot, submissionId), problems: snapshotProblems(snapshot, submissionId) };
}

/** JSON.stringify(buildCparGroup(snapshot, submissionId)), written directly. */
export function encodeCparGroup(snapshot: PanelSnapshot, submissionId: number): string {
  // Everything but the patients is small: the reference builder writes it, with an empty
  // member list whose place the patients then take.
  const head = JSON.stringify(buildCparGroup({ ...snapshot, patients: [] }, submissionId));
  const patients = snapshot.patients;
  const practitionerCount = snapshot.practitioners.length;
  let contained = '';
  let members = '';
  for (let i = 0; i < patients.length; i++) {
    const p = patients[i];
    const comma = i === 0 ? '' : ',';
    const gender = fhirGender(p.gender);
    contained += `${comma}{"resourceType":"Patient","id":"patient-${i}","identifier":[{"system":"${ULI_SYSTEM}","value":${quote(p.uli)}}],`
      + `"name":[{"use":"official","family":${quote(p.lastName)},"given":[${quote(p.firstName)}]}],`
      + `${gender === undefined ? '' : `"gender":"${gender}",`}"birthDate":${quote(p.birthDate)}}`;
    members += `${comma}{"entity":{"reference":"#patient-${i}"}`
      + (p.confirmedOn ? `,"period":{"start":${quote(p.confirmedOn)}}` : '')
      + (p.lastVisitOn ? `,"extension":[{"url":"${LAST_VISIT_URL}","valueDate":${quote(p.lastVisitOn)}}]` : '')
      + '}';
  }
  // Both markers hold unescaped quotes, so neither can occur inside a JSON string.
  const quantityAt = head.indexOf('"quantity":0,');
  const containedEnd = head.length - '],"member":[]}'.length;
  if (quantityAt < 0 || !head.endsWith('],"member":[]}')) throw new Error('the Group builder changed shape: encode.ts must follow');
  return `${head.slice(0, quantityAt)}"quantity":${patients.length},${head.slice(quantityAt + 13, containedEnd)}`
    + `${practitionerCount > 0 && patients.length > 0 ? ',' : ''}${contained}],"member":[${members}]}`;
}

/** validateCparGroup(buildCparGroup(snapshot, submissionId)), read off the snapshot. */
export function snapshotProblems(snapshot: PanelSnapshot, submissionId: number): string[] {
  const problems = validateCparGroup(buildCparGroup({ ...snapshot, patients: [] }, submissionId));
  const today = edmontonDate(snapshot.takenAt);
  const seenUlis = new Map<string, number>();
  snapshot.patients.forEach((p, i) => patientProblems(problems, p, i, today, seenUlis));
  return problems;
}

// Mirrors payload.ts's memberProblems on the snapshot's own fields; a path is written only
// for a problem.
function patientProblems(problems: string[], p: SnapshotPatient, index: number, today: string, seenUlis: Map<string, number>) {
  const uli = filled(p.uli) ? p.uli : undefined;
  if (!uli || !/^\d{9}$/.test(uli)) problems.push(`member[${index}].entity: ULI must be 9 digits`);
  else if (seenUlis.has(uli)) problems.push(`member[${index}].entity: same ULI as member[${seenUlis.get(uli)}]`);
  else seenUlis.set(uli, index);
  if (!filled(p.lastName)) problems.push(`member[${index}].entity: family name is empty`);
  if (!filled(p.firstName)) problems.push(`member[${index}].entity: given name is empty`);
  if (fhirGender(p.gender) === undefined) problems.push(`member[${index}].entity: gender must be female, male, other or unknown`);
  dateProblem(problems, index, '.entity', 'birth date', p.birthDate, today);
  dateProblem(problems, index, '.period.start', 'confirmation date', p.confirmedOn || undefined, today);
  dateProblem(problems, index, '.extension', 'last visit date', p.lastVisitOn || undefined, today);
}

function filled(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** JSON.stringify of a string (or null), without its cost for the plain strings most are. */
function quote(value: string | null): string {
  if (value === null) return 'null';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(value);
  }
  return `"${value}"`;
}
