// Bytes written into one buffer that grows as needed: the monthly run's messages, a panel
// of thousands of patients at a time.
import { BufferPool } from './buffer-pool.ts';

export class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  /** `pool`: where buffers come from and where one outgrown goes back (a new pool by default). */
  constructor(estimate: number, private readonly pool = new BufferPool()) {
    // Never from Node's shared pool: the bytes may be transferred to another thread whole.
    this.buffer = pool.take(Math.max(estimate, 1024));
  }

  /** Room for `count` more bytes. */
  private room(count: number) {
    if (this.length + count <= this.buffer.length) return;
    const grown = this.pool.take(Math.max(this.buffer.length * 2, this.length + count));
    this.buffer.copy(grown, 0, 0, this.length);
    this.pool.give(this.buffer);
    this.buffer = grown;
  }

  /** bytes[start, end) of another buffer. */
  copy(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.room(end - start);
    const out = this.buffer;
    let at = this.length;
    // Most pieces are a few bytes: a loop costs less than a call into the runtime.
    if (end - start < 16) for (let i = start; i < end; i++) out[at++] = bytes[i];
    else {
      out.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), at);
      at += end - start;
    }
    this.length = at;
  }

  /** One byte. */
  byte(value: number) {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  /** A whole number (not negative), in decimal. */
  integer(n: number) {
    const digits = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : n < 100_000 ? 5 : String(n).length;
    this.room(digits);
    let at = this.length + digits;
    this.length = at;
    for (let i = 0; i < digits; i++) {
      const rest = Math.floor(n / 10);
      this.buffer[--at] = 0x30 + n - rest * 10;
      n = rest;
    }
  }

  /** A string of ASCII characters only. */
  ascii(text: string) {
    this.room(text.length);
    this.length += this.buffer.write(text, this.length, 'latin1');
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
