// A JSON list as SQLite's json_group_array writes it (one panel's last names, say), read in
// place: where each element's text lies in the bytes, without making a string of any. The
// monthly run copies most elements straight into the Netcare message; only an element that
// is not a plain string (an escape, a character past ASCII, a number) is ever decoded.

/** An element's kind: a string of printable ASCII without escapes, null, or anything else. */
export const PLAIN = 0;
export const NULL = 1;
export const OTHER = 2;

export class JsonColumn {
  /** element i is bytes[starts[i], ends[i]): its JSON text, quotes included */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly kinds: Uint8Array;

  constructor(readonly bytes: Buffer, readonly length: number, starts: Int32Array, ends: Int32Array, kinds: Uint8Array) {
    this.starts = starts;
    this.ends = ends;
    this.kinds = kinds;
  }

  /** The list a column holds (ArrayBuffer or bytes), of about `expected` elements; empty when it holds none. */
  static of(value: unknown, expected = 64): JsonColumn {
    if (!(value instanceof ArrayBuffer || value instanceof Uint8Array)) return read(Buffer.from('[]'), 1);
    return read(value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.from(value), expected);
  }

  /** Element i as JSON.parse gives it. */
  value(i: number): unknown {
    return JSON.parse(this.bytes.toString('utf8', this.starts[i], this.ends[i]));
  }

  /** Element i as JSON.parse gives it, quicker for a plain string or null. */
  valueAt(i: number): unknown {
    const kind = this.kinds[i];
    return kind === PLAIN ? this.text(i) : kind === NULL ? null : this.value(i);
  }

  /** Element i's content, without its quotes, when it is PLAIN. */
  text(i: number): string {
    return this.bytes.toString('latin1', this.starts[i] + 1, this.ends[i] - 1);
  }
}

/** A panel's members, one column each, element i of every column being the same patient. */
export type MemberColumns = {
  uli: JsonColumn; lastName: JsonColumn; firstName: JsonColumn; birthDate: JsonColumn;
  gender: JsonColumn; lastVisit: JsonColumn; confirmed: JsonColumn;
};

// What each byte is inside a string: a plain element has neither escapes nor characters
// outside printable ASCII (encode.ts's quote() writes those as escapes).
const PLAIN_BYTE = 0;
const QUOTE = 1;
const BACKSLASH = 2;
const NOT_PLAIN = 3;
const BYTE = Uint8Array.from({ length: 256 }, (_, c) =>
  c === 0x22 ? QUOTE : c === 0x5c ? BACKSLASH : c < 0x20 || c >= 0x7f ? NOT_PLAIN : PLAIN_BYTE);

function read(bytes: Buffer, expected: number): JsonColumn {
  const n = bytes.length;
  let capacity = Math.max(expected, 1);
  let starts: Int32Array = new Int32Array(capacity);
  let ends: Int32Array = new Int32Array(capacity);
  let kinds: Uint8Array = new Uint8Array(capacity);
  let count = 0;
  let at = skipSpace(bytes, 0);
  if (bytes[at++] !== 0x5b) throw new Error('a member column is not a JSON list');
  at = skipSpace(bytes, at);
  if (bytes[at] === 0x5d) return new JsonColumn(bytes, 0, starts, ends, kinds);
  for (;;) {
    if (count === capacity) {
      capacity *= 2;
      starts = grown(starts, capacity);
      ends = grown(ends, capacity);
      const k = new Uint8Array(capacity);
      k.set(kinds);
      kinds = k;
    }
    at = skipSpace(bytes, at);
    const start = at;
    let kind = PLAIN;
    if (bytes[at] === 0x22) {
      at++;
      for (;;) {
        if (at >= n) throw new Error('a member column ends inside a string');
        const c = BYTE[bytes[at]];
        if (c === PLAIN_BYTE) at++;
        else if (c === QUOTE) break;
        else {
          kind = OTHER;
          // after a backslash, the escaped character; a \u escape's digits are read as plain bytes
          at += c === BACKSLASH ? 2 : 1;
        }
      }
      at++;
    } else {
      // null, or a number or literal: up to the next comma or the end of the list
      while (at < n && bytes[at] !== 0x2c && bytes[at] !== 0x5d && bytes[at] > 0x20) at++;
      kind = at - start === 4 && bytes.toString('latin1', start, at) === 'null' ? NULL : OTHER;
    }
    starts[count] = start;
    ends[count] = at;
    kinds[count++] = kind;
    at = skipSpace(bytes, at);
    if (bytes[at] === 0x2c) at++;
    else if (bytes[at] === 0x5d) break;
    else throw new Error('a member column is not a JSON list');
  }
  return new JsonColumn(bytes, count, starts, ends, kinds);
}

function skipSpace(bytes: Buffer, at: number): number {
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09)) at++;
  return at;
}

function grown(values: Int32Array, capacity: number): Int32Array {
  const out = new Int32Array(capacity);
  out.set(values);
  return out;
}
