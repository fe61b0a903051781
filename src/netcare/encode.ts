// The CPAR Group straight from a snapshot to its wire text, and its problems straight from the
// snapshot: the monthly run sends a province's panels (a gigabyte of FHIR), and building
// millions of objects only to stringify them again was most of its time. buildCparGroup and
// validateCparGroup (payload.ts) stay the definition: a property test holds this file to
// JSON.stringify(buildCparGroup(s)) and validateCparGroup(buildCparGroup(s)), byte for byte
// (once every character past ASCII is written as a \u escape, which JSON allows: an all-ASCII
// message is copied, not transcoded, on both ends).
import type { PanelSnapshot, SnapshotPatient } from '../domain/submissions/snapshot.ts';
import { edmontonDate } from '../domain/time/edmonton.ts';
import { ByteWriter } from './byte-writer.ts';
import {
  buildCparGroup, dateProblem, validateCparGroup, fhirGender, LAST_VISIT_URL, ULI_SYSTEM, type CparGroup,
} from './payload.ts';

/** A message ready to send: its bytes, and every problem that makes it unacceptable. */
export type CparMessage = { body: Uint8Array; problems: string[] };

/** From a Group already built (tests, tools): the reference path. */
export function messageFromGroup(group: CparGroup): CparMessage {
  return { body: Buffer.from(JSON.stringify(group)), problems: validateCparGroup(group) };
}

/** From a snapshot, without building the Group: what the monthly run sends. */
export function messageFromSnapshot(snapshot: PanelSnapshot, submissionId: number): CparMessage {
  return { body: encodeCparGroup(snapshot, submissionId), problems: snapshotProblems(snapshot, submissionId) };
}

/** asciiJson(JSON.stringify(buildCparGroup(snapshot, submissionId))), written directly as bytes. */
export function encodeCparGroup(snapshot: PanelSnapshot, submissionId: number): Buffer {
  const { opening, comma } = groupFrame(snapshot, submissionId, snapshot.patients.length);
  const patients = snapshot.patients;
  // Each patient is written as it is made: one string of the whole panel would be a rope of
  // millions of pieces, and flattening it cost more than making it.
  const out = new AsciiWriter(opening.length + patients.length * 480);
  out.write(opening);
  for (let i = 0; i < patients.length; i++) {
    const p = patients[i];
    const gender = fhirGender(p.gender);
    out.write(`${i === 0 ? comma : ','}{"resourceType":"Patient","id":"patient-${i}","identifier":[{"system":"${ULI_SYSTEM}","value":${quote(p.uli)}}],`
      + `"name":[{"use":"official","family":${quote(p.lastName)},"given":[${quote(p.firstName)}]}],`
      + `${gender === undefined ? '' : `"gender":"${gender}",`}"birthDate":${quote(p.birthDate)}}`);
  }
  out.write('],"member":[');
  for (let i = 0; i < patients.length; i++) {
    const p = patients[i];
    out.write(`${i === 0 ? '' : ','}{"entity":{"reference":"#patient-${i}"}`
      + (p.confirmedOn ? `,"period":{"start":${quote(p.confirmedOn)}}` : '')
      + (p.lastVisitOn ? `,"extension":[{"url":"${LAST_VISIT_URL}","valueDate":${quote(p.lastVisitOn)}}]` : '')
      + '}');
  }
  out.write(']}');
  return out.bytes();
}

/**
 * The message up to its first patient, for a panel of `count` patients (the panel's own
 * patients are not read): everything but the patients is small, so the reference builder
 * writes it, with an empty member list whose place the patients then take. `comma` goes
 * before the first patient.
 */
export function groupFrame(panel: PanelSnapshot, submissionId: number, count: number): { opening: string; comma: string } {
  const head = asciiJson(JSON.stringify(buildCparGroup({ ...panel, patients: [] }, submissionId)));
  // Both markers hold unescaped quotes, so neither can occur inside a JSON string.
  const quantityAt = head.indexOf('"quantity":0,');
  if (quantityAt < 0 || !head.endsWith('],"member":[]}')) throw new Error('the Group builder changed shape: encode.ts must follow');
  return {
    opening: `${head.slice(0, quantityAt)}"quantity":${count},${head.slice(quantityAt + 13, -'],"member":[]}'.length)}`,
    comma: panel.practitioners.length > 0 ? ',' : '',
  };
}

/** The problems of the panel itself (its patients are not read): where every message's list begins. */
export function panelProblems(panel: PanelSnapshot, submissionId: number): string[] {
  return validateCparGroup(buildCparGroup({ ...panel, patients: [] }, submissionId));
}

/** validateCparGroup(buildCparGroup(snapshot, submissionId)), read off the snapshot. */
export function snapshotProblems(snapshot: PanelSnapshot, submissionId: number): string[] {
  const problems = panelProblems(snapshot, submissionId);
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

export function filled(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** asciiJson(JSON.stringify(value)) for a string or null, without its cost for the plain strings most are. */
export function quote(value: string | null): string {
  if (value === null) return 'null';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) return asciiJson(JSON.stringify(value));
  }
  return `"${value}"`;
}

/** JSON text with every character past ASCII written as a \u escape: the same value, in ASCII. */
export function asciiJson(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** ASCII strings gathered into a few kilobytes before they are copied into a ByteWriter. */
class AsciiWriter {
  private readonly out: ByteWriter;
  // One copy call per patient cost more than the copying.
  private pending = '';

  constructor(estimate: number) {
    this.out = new ByteWriter(estimate);
  }

  write(ascii: string) {
    this.pending += ascii;
    if (this.pending.length >= 8_192) this.flush();
  }

  private flush() {
    this.out.ascii(this.pending);
    this.pending = '';
  }

  bytes(): Buffer {
    this.flush();
    return this.out.bytes();
  }
}
