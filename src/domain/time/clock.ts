// Time is injected: the domain never reads the system clock itself.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests and the CLI's `--at`: it stands still until moved. */
export class ManualClock implements Clock {
  #at: number;
  constructor(at: Date | string) {
    this.#at = new Date(at).getTime();
  }
  now(): Date {
    return new Date(this.#at);
  }
  set(at: Date | string): void {
    this.#at = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.#at += ms;
  }
}

/**
 * Real time shifted by `offsetMs`: portal processes in a fault test given the same offset
 * share one clock and live through the 15th at 21:00 at real speed (their heartbeats and
 * intervals are real).
 */
export function offsetClock(offsetMs: number): Clock {
  return { now: () => new Date(Date.now() + offsetMs) };
}
