// The monthly run's message and its problems, written from a panel's member columns as the
// database returned them (JSON lists, src/domain/database/json-column.ts) rather than from a snapshot:
// a plain string element is already its own JSON text, so it is copied into the message
// without ever becoming a JavaScript string. Anything else (an escape, a character past
// ASCII, a number) is decoded and written by encode.ts's own functions. A property test holds
// this file to messageFromSnapshot, byte for byte and problem for problem.
import { JsonColumn, NULL, PLAIN, type MemberColumns } from '../domain/database/json-column.ts';
import { edmontonDate } from '../domain/time/edmonton.ts';
import type { PanelSnapshot } from '../domain/submissions/snapshot.ts';
import { ByteWriter } from './byte-writer.ts';
import type { BufferPool } from './buffer-pool.ts';
import { filled, groupFrame, panelProblems, quote, type CparMessage } from './encode.ts';
import { calendarDayAt, dateProblem, fhirGender, LAST_VISIT_URL, ULI_SYSTEM, type FhirGender } from './payload.ts';

/** The panel without its patients (they are in the columns). */
export type PanelHead = Omit<PanelSnapshot, 'patients'>;

/**
 * messageFromSnapshot for the snapshot whose patient k is element order[k] of every column.
 */
export function messageFromColumns(panel: PanelHead, columns: MemberColumns, order: number[], submissionId: number,
  pool?: BufferPool): CparMessage {
  return { body: encodeColumns(panel, columns, order, submissionId, pool), problems: columnProblems(panel, columns, order, submissionId) };
}

const ascii = (text: string) => Buffer.from(text, 'latin1');
const PATIENT = ascii('{"resourceType":"Patient","id":"patient-');
const ULI = ascii(`","identifier":[{"system":"${ULI_SYSTEM}","value":`);
const FAMILY = ascii('}],"name":[{"use":"official","family":');
const GIVEN = ascii(',"given":[');
const NAME_END = ascii(']}],');
const GENDER = new Map<FhirGender, Buffer>((['female', 'male', 'other', 'unknown'] as const).map((g) => [g, ascii(`"gender":"${g}",`)]));
const BIRTH_DATE = ascii('"birthDate":');
const MEMBER = ascii('{"entity":{"reference":"#patient-');
const PERIOD = ascii('"},"period":{"start":');
const EXTENSION = ascii(`,"extension":[{"url":"${LAST_VISIT_URL}","valueDate":`);
const CLOSE = ascii('}');
const COMMA = 0x2c;
const REFERENCE_END = ascii('"}');
const EXTENSION_END = ascii('}]');

function encodeColumns(panel: PanelHead, c: MemberColumns, order: number[], submissionId: number, pool?: BufferPool): Buffer {
  const { opening, comma } = groupFrame({ ...panel, patients: [] }, submissionId, order.length);
  const out = new ByteWriter(opening.length + order.length * 480, pool);
  out.ascii(opening);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (k > 0 || comma) out.byte(COMMA);
    out.copy(PATIENT);
    out.integer(k);
    out.copy(ULI);
    element(out, c.uli, i);
    out.copy(FAMILY);
    element(out, c.lastName, i);
    out.copy(GIVEN);
    element(out, c.firstName, i);
    out.copy(NAME_END);
    const gender = genderOf(c.gender, i);
    if (gender !== undefined) out.copy(GENDER.get(gender)!);
    out.copy(BIRTH_DATE);
    element(out, c.birthDate, i);
    out.copy(CLOSE);
  }
  out.ascii('],"member":[');
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (k > 0) out.byte(COMMA);
    out.copy(MEMBER);
    out.integer(k);
    if (isTruthy(c.confirmed, i)) {
      out.copy(PERIOD);
      element(out, c.confirmed, i);
      out.copy(CLOSE);
    } else out.copy(REFERENCE_END);
    if (isTruthy(c.lastVisit, i)) {
      out.copy(EXTENSION);
      element(out, c.lastVisit, i);
      out.copy(EXTENSION_END);
    }
    out.copy(CLOSE);
  }
  out.ascii(']}');
  return out.bytes();
}

/** Element i as encode.ts's quote() writes it: a plain string or null is its own text. */
function element(out: ByteWriter, column: JsonColumn, i: number) {
  if (column.kinds[i] === PLAIN || column.kinds[i] === NULL) out.copy(column.bytes, column.starts[i], column.ends[i]);
  else out.ascii(quote(column.value(i) as string | null));
}

/** Whether element i is a value (not null, not ""), as `p.confirmedOn ? …` asks. */
function isTruthy(column: JsonColumn, i: number): boolean {
  const kind = column.kinds[i];
  return kind === PLAIN ? column.ends[i] - column.starts[i] > 2 : kind !== NULL && Boolean(column.value(i));
}

function genderOf(column: JsonColumn, i: number): FhirGender | undefined {
  if (column.kinds[i] === PLAIN && column.ends[i] - column.starts[i] === 3) return ONE_LETTER[column.bytes[column.starts[i] + 1]];
  return fhirGender(column.valueAt(i) as string);
}
const ONE_LETTER: (FhirGender | undefined)[] = [];
for (const code of ['F', 'M', 'X', 'U']) ONE_LETTER[code.charCodeAt(0)] = fhirGender(code);

/**
 * encode.ts's snapshotProblems, read off the columns. A repeated ULI is looked for by sorting
 * the panel's ULIs as numbers: a Map of a panel's thousands, built for every panel, was a fifth
 * of everything a province's run allocated (177 MB). Only a panel that does repeat one is read
 * again with a Map, to name the member each repeat follows.
 */
function columnProblems(panel: PanelHead, c: MemberColumns, order: number[], submissionId: number): string[] {
  if (uliScratch.length < order.length) uliScratch = new Int32Array(Math.max(order.length, 2 * uliScratch.length));
  const ulis = uliScratch.subarray(0, order.length);
  const problems = memberProblems(panel, c, order, submissionId, ulis, null);
  return repeats(ulis) ? memberProblems(panel, c, order, submissionId, ulis, new Map()) : problems;
}

/** The ULIs of the panel being checked (one panel at a time: the check never awaits). */
let uliScratch = new Int32Array(1024);

/** Whether a valid ULI (not -1) appears twice; sorts `ulis`. */
function repeats(ulis: Int32Array): boolean {
  ulis.sort();
  for (let k = 1; k < ulis.length; k++) if (ulis[k] >= 0 && ulis[k] === ulis[k - 1]) return true;
  return false;
}

/** Every member's problems; repeated ULIs only when `seenUlis` is given. Writes each member's ULI into `ulis`. */
function memberProblems(panel: PanelHead, c: MemberColumns, order: number[], submissionId: number, ulis: Int32Array,
  seenUlis: Map<number, number> | null): string[] {
  const problems = panelProblems({ ...panel, patients: [] }, submissionId);
  const todayText = edmontonDate(panel.takenAt);
  const today = calendarDayAt(Buffer.from(todayText, 'latin1'), 0);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const uli = uliOf(c.uli, i);
    ulis[k] = uli;
    if (uli < 0) problems.push(`member[${k}].entity: ULI must be 9 digits`);
    else if (seenUlis?.has(uli)) problems.push(`member[${k}].entity: same ULI as member[${seenUlis.get(uli)}]`);
    else seenUlis?.set(uli, k);
    if (!isFilled(c.lastName, i)) problems.push(`member[${k}].entity: family name is empty`);
    if (!isFilled(c.firstName, i)) problems.push(`member[${k}].entity: given name is empty`);
    if (genderOf(c.gender, i) === undefined) problems.push(`member[${k}].entity: gender must be female, male, other or unknown`);
    dayProblem(problems, k, '.entity', 'birth date', c.birthDate, i, today, todayText, false);
    dayProblem(problems, k, '.period.start', 'confirmation date', c.confirmed, i, today, todayText, true);
    dayProblem(problems, k, '.extension', 'last visit date', c.lastVisit, i, today, todayText, true);
  }
  return problems;
}

/** The ULI as a number when it is nine digits (as /^\d{9}$/ on a filled string); -1 otherwise. */
function uliOf(column: JsonColumn, i: number): number {
  if (column.kinds[i] !== PLAIN) {
    const value = column.valueAt(i) as string | null;
    return filled(value) && /^\d{9}$/.test(value) ? Number(value) : -1;
  }
  const b = column.bytes;
  const start = column.starts[i] + 1;
  if (column.ends[i] - 1 - start !== 9) return -1;
  let n = 0;
  for (let at = start; at < start + 9; at++) {
    const d = b[at] - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** encode.ts's filled(): more than whitespace. A plain string's only whitespace is the space. */
function isFilled(column: JsonColumn, i: number): boolean {
  if (column.kinds[i] !== PLAIN) return filled(column.valueAt(i) as string | null);
  for (let at = column.starts[i] + 1; at < column.ends[i] - 1; at++) if (column.bytes[at] !== 0x20) return true;
  return false;
}

/** dateProblem for element i: at once for a plain real day not after today, by dateProblem otherwise. */
function dayProblem(problems: string[], k: number, field: string, label: string, column: JsonColumn, i: number,
  today: number, todayText: string, emptyIsMissing: boolean) {
  if (column.kinds[i] === PLAIN && column.ends[i] - column.starts[i] === 12) {
    const day = calendarDayAt(column.bytes, column.starts[i] + 1);
    if (day > 0 && day <= today) return;
  }
  const value = column.valueAt(i);
  dateProblem(problems, k, field, label, emptyIsMissing ? value || undefined : value, todayText);
}
