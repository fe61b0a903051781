// A strict reader of JSON text as bytes, token by token, that makes no objects: for reading a
// large message whose shape is known and keeping only a few of its values. It accepts exactly
// what JSON.parse accepts (RFC 8259: whitespace, escapes, number grammar, one value, nothing
// after it); on anything else, or whenever its caller meets something it does not decide,
// it throws UNDECIDED, and the caller falls back to JSON.parse.

/** Thrown to give up: the caller then reads the message the general way. */
export const UNDECIDED = Symbol('undecided');

export function undecided(): never {
  throw UNDECIDED;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
// What each byte is inside a string: control characters may not appear there unescaped.
const PLAIN = 0;
const END = 1;
const ESCAPE = 2;
const PAST_ASCII = 3;
const FORBIDDEN = 4;
const BYTE = Uint8Array.from({ length: 256 }, (_, c) =>
  c === QUOTE ? END : c === BACKSLASH ? ESCAPE : c < 0x20 ? FORBIDDEN : c >= 0x80 ? PAST_ASCII : PLAIN);

export class JsonScanner {
  at = 0;
  /** the bytes of the last string read, as [start, end) of `bytes`, without its quotes */
  start = 0;
  end = 0;
  /** whether the last string read is plain: no escape and nothing past ASCII */
  plain = true;

  readonly bytes: Buffer;

  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Skips whitespace and returns the next byte (-1 at the end) without taking it. */
  peek(): number {
    const b = this.bytes;
    let at = this.at;
    while (at < b.length) {
      const c = b[at];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      at++;
    }
    this.at = at;
    return at < b.length ? b[at] : -1;
  }

  /** Takes `byte` (after whitespace), or gives up. */
  take(byte: number): void {
    // Usually the very next byte: then there is no whitespace to skip.
    if (this.bytes[this.at] !== byte && this.peek() !== byte) undecided();
    this.at++;
  }

  /** Takes `byte` if it comes next. */
  takeIf(byte: number): boolean {
    if (this.bytes[this.at] !== byte && this.peek() !== byte) return false;
    this.at++;
    return true;
  }

  /** Reads a string; its content is then bytes[start, end), `plain` when it needs no decoding. */
  string(): void {
    this.take(QUOTE);
    const b = this.bytes;
    let at = this.at;
    let plain = true;
    this.start = at;
    const length = b.length;
    for (;;) {
      if (at >= length) undecided();
      const kind = BYTE[b[at]];
      if (kind === PLAIN) at++;
      else if (kind === END) break;
      else if (kind === PAST_ASCII) {
        plain = false;
        at++;
      } else if (kind === ESCAPE) {
        plain = false;
        at = escapeEnd(b, at);
      } else undecided();
    }
    this.end = at;
    this.at = at + 1;
    this.plain = plain;
  }

  /**
   * Reads a string, quicker when it is `ascii` (given as its bytes, none of them a quote, a
   * backslash or a control character): whether it is.
   */
  stringIs(ascii: Uint8Array): boolean {
    if (this.peek() === QUOTE) {
      const b = this.bytes;
      const from = this.at + 1;
      let i = 0;
      if (from + ascii.length < b.length) while (i < ascii.length && b[from + i] === ascii[i]) i++;
      if (i === ascii.length && b[from + i] === QUOTE) {
        this.start = from;
        this.end = from + i;
        this.at = this.end + 1;
        this.plain = true;
        return true;
      }
    }
    this.string();
    return this.is(ascii);
  }

  /** Reads a string that must be plain, and returns it. */
  plainString(): string {
    this.string();
    if (!this.plain) undecided();
    return this.bytes.toString('latin1', this.start, this.end);
  }

  /** Whether the last string read is exactly `ascii` (given as its bytes). */
  is(ascii: Uint8Array): boolean {
    const length = this.end - this.start;
    if (length !== ascii.length || !this.plain) return false;
    const b = this.bytes;
    for (let i = 0, at = this.start; i < length; i++, at++) if (b[at] !== ascii[i]) return false;
    return true;
  }

  /** Reads a number and returns its value. */
  number(): number {
    const from = this.at;
    const b = this.bytes;
    let at = from;
    if (b[at] === 0x2d) at++;
    if (b[at] === 0x30) at++;
    else if (isDigit(b[at])) while (isDigit(b[at])) at++;
    else undecided();
    if (b[at] === 0x2e) {
      if (!isDigit(b[++at])) undecided();
      while (isDigit(b[at])) at++;
    }
    if (b[at] === 0x65 || b[at] === 0x45) {
      at++;
      if (b[at] === 0x2b || b[at] === 0x2d) at++;
      if (!isDigit(b[at])) undecided();
      while (isDigit(b[at])) at++;
    }
    this.at = at;
    return Number(b.toString('latin1', from, at));
  }

  /** Reads the literal true, false or null, whichever comes; returns its value. */
  literal(): boolean | null {
    const c = this.peek();
    const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : undecided();
    for (let i = 0; i < word.length; i++) if (this.bytes[this.at + i] !== word[i]) undecided();
    this.at += word.length;
    return c === 0x74 ? true : c === 0x66 ? false : null;
  }

  /** Reads any value, checking its grammar, and keeps nothing of it. */
  skip(depth = 0): void {
    if (depth > 256) undecided();
    const c = this.peek();
    if (c === QUOTE) this.string();
    else if (c === 0x7b) for (let first = true; this.key(first); first = false) this.skip(depth + 1);
    else if (c === 0x5b) for (let first = true; this.item(first); first = false) this.skip(depth + 1);
    else if (c === 0x2d || isDigit(c)) this.number();
    else this.literal();
  }

  /**
   * The next key of an object, read as the last string with its colon taken; false at the
   * object's end. `first` opens the object.
   *   for (let first = true; s.key(first); first = false) { ...read the value... }
   */
  key(first: boolean): boolean {
    if (!this.next(first, 0x7b, 0x7d)) return false;
    this.string();
    this.take(0x3a);
    return true;
  }

  /** Whether another element of an array follows; `first` opens the array. */
  item(first: boolean): boolean {
    return this.next(first, 0x5b, 0x5d);
  }

  private next(first: boolean, open: number, close: number): boolean {
    if (first) {
      this.take(open);
      return !this.takeIf(close);
    }
    if (this.takeIf(0x2c)) return true;
    this.take(close);
    return false;
  }

  /** After the one value: only whitespace may follow. */
  finish(): void {
    if (this.peek() !== -1) undecided();
  }
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Where the escape at `at` (a backslash) ends. */
function escapeEnd(b: Uint8Array, at: number): number {
  const c = b[at + 1];
  if (c === 0x75) {
    for (let i = 2; i < 6; i++) if (!isHex(b[at + i])) undecided();
    return at + 6;
  }
  // " \ / b f n r t
  if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) return at + 2;
  return undecided();
}
