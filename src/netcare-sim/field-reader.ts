// Reading the fields of a FHIR message from its bytes (json-scan.ts) without making objects:
// which of the expected keys comes next, the common datatypes (Reference, Identifier, Period,
// Extension), days, and strings tested for content. Whatever it does not settle it leaves to
// the general way (undecided), like the scanner.
import { calendarDayAt } from '../netcare/payload.ts';
import { JsonScanner, undecided } from './json-scan.ts';

export type Span = { start: number; end: number; plain: boolean };

export function ascii(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

/** The keys an object is read for, looked up by length. */
export type Keys = { names: Uint8Array[]; byLength: (number[] | undefined)[] };
export function keys(...names: string[]): Keys {
  const byLength: (number[] | undefined)[] = Array.from({ length: 64 }, () => undefined);
  names.forEach((name, i) => (byLength[name.length] ??= []).push(i));
  return { names: names.map(ascii), byLength };
}

const REFERENCE_KEYS = keys('reference');
const IDENTIFIER_KEYS = keys('system', 'value');
const PERIOD_KEYS = keys('start');
const EXTENSION_KEYS = keys('url', 'valueDate');
/** What extension() returns for an extension with another url. */
export const OTHER_EXTENSION = -2;

export class FieldReader {
  protected readonly s: JsonScanner;
  /** what the last Identifier read holds: its system (the bit of its index in `systems`, 0 for another) and value */
  protected system = 0;
  protected readonly value: Span = { start: 0, end: 0, plain: true };
  /** where the id of the last Reference read ends */
  protected referenceEnd = -1;
  /** the index in `systems` of the system most identifiers have where they are being read: tried first */
  protected expectedSystem: number;

  constructor(bytes: Uint8Array, private readonly systems: Uint8Array[]) {
    this.s = new JsonScanner(bytes);
    this.expectedSystem = 0;
  }

  /** Which of `keys` the key just read is (its bit), 0 for none; a repeated one is not settled here. */
  protected key(seen: number, keys: Keys): number {
    const s = this.s;
    if (!s.plain) undecided(); // an escaped key may spell one of them
    const candidates = keys.byLength[s.end - s.start];
    if (candidates === undefined) return 0;
    for (let c = 0; c < candidates.length; c++) {
      const i = candidates[c];
      if (!s.is(keys.names[i])) continue;
      if (seen & (1 << i)) undecided();
      return 1 << i;
    }
    return 0;
  }

  protected expect(value: Uint8Array) {
    this.s.string();
    if (!this.s.is(value)) undecided();
  }

  /**
   * A Reference to a contained resource ("#id"): where the id starts, and ends at
   * `referenceEnd`; -1 for any other.
   */
  protected reference(): number {
    const s = this.s;
    let seen = 0;
    let target = -1;
    for (let first = true; s.key(first); first = false) {
      const key = this.key(seen, REFERENCE_KEYS);
      seen |= key;
      if (key === 0) s.skip();
      else {
        s.string();
        target = s.plain && s.end > s.start && s.bytes[s.start] === 0x23 ? s.start + 1 : -1;
        this.referenceEnd = s.end;
      }
    }
    return target;
  }

  /** An Identifier, into `system` and `value`. */
  protected identifier() {
    const s = this.s;
    let seen = 0;
    this.system = 0;
    for (let first = true; s.key(first); first = false) {
      const key = this.key(seen, IDENTIFIER_KEYS);
      seen |= key;
      if (key === 0) {
        s.skip();
        continue;
      }
      if (key === 2) {
        s.string();
        this.value.start = s.start;
        this.value.end = s.end;
        this.value.plain = s.plain;
      } else if (s.stringIs(this.systems[this.expectedSystem])) this.system = 1 << this.expectedSystem;
      else for (let i = 0; i < this.systems.length; i++) if (s.is(this.systems[i])) this.system = 1 << i;
    }
    if (seen !== 3) undecided();
  }

  /** A Period's start, as a day. */
  protected period(): number {
    const s = this.s;
    let seen = 0;
    let start = -1;
    for (let first = true; s.key(first); first = false) {
      const key = this.key(seen, PERIOD_KEYS);
      seen |= key;
      if (key === 0) s.skip();
      else {
        s.string();
        start = this.date();
      }
    }
    return start;
  }

  /** An Extension's valueDate, as a day, when its url is `url`; OTHER_EXTENSION otherwise. */
  protected extension(url: Uint8Array): number {
    const s = this.s;
    let seen = 0;
    let lastVisit = false;
    let date = -1;
    for (let first = true; s.key(first); first = false) {
      const key = this.key(seen, EXTENSION_KEYS);
      seen |= key;
      if (key === 0) s.skip();
      else if (key === 1) lastVisit = s.stringIs(url);
      else {
        s.string();
        date = this.date();
      }
    }
    return lastVisit ? date : OTHER_EXTENSION;
  }

  protected span(): Span {
    return { start: this.s.start, end: this.s.end, plain: this.s.plain };
  }

  /** The last string read as a day, yyyymmdd; not settled here unless it is a real one (isCalendarDate). */
  protected date(): number {
    const { bytes, start, end, plain } = this.s;
    const day = plain && end - start === 10 ? calendarDayAt(bytes, start) : -1;
    return day < 0 ? undecided() : day;
  }

  /** Nine digits, as a number. */
  protected nineDigits({ start, end, plain }: Span): number {
    if (!plain || end - start !== 9) undecided();
    let n = 0;
    for (let at = start; at < end; at++) {
      const d = this.s.bytes[at] - 0x30;
      if (d < 0 || d > 9) undecided();
      n = n * 10 + d;
    }
    return n;
  }

  /** Whether a string is more than whitespace (String.prototype.trim's). */
  protected filled({ start, end, plain }: Span): boolean {
    if (!plain) return this.decoded(start, end).trim() !== '';
    for (let at = start; at < end; at++) if (this.s.bytes[at] !== 0x20) return true;
    return false;
  }

  protected text({ start, end, plain }: Span): string {
    return plain ? this.s.bytes.toString('latin1', start, end) : this.decoded(start, end);
  }

  /** A string with escapes or past ASCII, decoded as JSON.parse would. */
  protected decoded(start: number, end: number): string {
    return JSON.parse(this.s.bytes.toString('utf8', start - 1, end + 1)) as string;
  }
}
