// Message buffers used again: the monthly run writes about a gigabyte of messages, a few
// megabytes at a time. A new buffer for each counts as new memory outside the JavaScript heap
// in both threads it passes through, and V8 answers that with full collections (85 of the
// main thread's in a province's run); a buffer that comes back after its send is written
// into again instead.

/** At most this many bytes wait in the pool: what is in flight, not the run's whole gigabyte. */
const KEPT_BYTES = 16 * 1024 * 1024;

export class BufferPool {
  private kept: Buffer[] = [];
  private keptBytes = 0;

  /** A buffer of at least `size` bytes: the smallest kept one that is big enough, or a new one. */
  take(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.kept.length; i++) {
      if (this.kept[i].length >= size && (best < 0 || this.kept[i].length < this.kept[best].length)) best = i;
    }
    if (best < 0) return Buffer.allocUnsafeSlow(size); // never from Node's shared pool: it is transferred whole
    const [buffer] = this.kept.splice(best, 1);
    this.keptBytes -= buffer.length;
    return buffer;
  }

  /** A buffer whose bytes nobody reads any more; dropped when the pool is full. */
  give(buffer: Buffer) {
    if (buffer.length === 0 || this.keptBytes + buffer.length > KEPT_BYTES) return;
    this.kept.push(buffer);
    this.keptBytes += buffer.length;
  }

  /** Bytes waiting in the pool. */
  bytes(): number {
    return this.keptBytes;
  }
}
