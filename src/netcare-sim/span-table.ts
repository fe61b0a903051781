// Values keyed by byte ranges of one buffer (a contained resource's id in a message), looked up
// by another range of it (a reference), without making a string of either: a message has
// thousands of each.
export class SpanTable {
  private slots = new Int32Array(1024);
  private starts: number[] = [];
  private ends: number[] = [];
  private values: number[] = [];

  constructor(private readonly bytes: Uint8Array) {}

  /** The value stored for bytes[start, end), or undefined. */
  get(start: number, end: number): number | undefined {
    const found = this.slots[this.slotOf(start, end)];
    return found === 0 ? undefined : this.values[found - 1];
  }

  /** Stores `value` for bytes[start, end) unless they have one: whether they had none. */
  add(start: number, end: number, value: number): boolean {
    const slot = this.slotOf(start, end);
    if (this.slots[slot] !== 0) return false;
    this.starts.push(start);
    this.ends.push(end);
    this.slots[slot] = this.values.push(value);
    if (this.values.length * 2 > this.slots.length) this.grow();
    return true;
  }

  /** The slot that holds these bytes, or the empty one where they would go. */
  private slotOf(start: number, end: number): number {
    const b = this.bytes;
    let hash = 0x811c9dc5;
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ b[at], 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0 || this.same(entry - 1, start, end)) return slot;
    }
  }

  private same(entry: number, start: number, end: number): boolean {
    const from = this.starts[entry];
    if (this.ends[entry] - from !== end - start) return false;
    for (let i = 0; i < end - start; i++) if (this.bytes[from + i] !== this.bytes[start + i]) return false;
    return true;
  }

  private grow() {
    const entries = this.values.length;
    this.slots = new Int32Array(this.slots.length * 2);
    for (let entry = 0; entry < entries; entry++) this.slots[this.slotOf(this.starts[entry], this.ends[entry])] = entry + 1;
  }
}
