// The room left on the database's disk, as the pages' chrome shows it to clinic staff: the
// monthly run on the 15th needs room to save its work, and the failure messages that would
// tell anyone it failed are saved on the same disk. Measured at most once a minute (one
// statfs), so a page pays nothing for it.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';

/** Below this much room, staff who run the CPAR submissions are told (a province's run writes ~100 MB). */
export const WARN_FREE_BYTES = 256 * 2 ** 20;
/**
 * Below this much, a write (a page view's audit entry, a run's commit, which can take megabytes
 * of WAL) may fail at any moment: the disk is as good as full, and /readyz says the portal is not ready.
 */
export const FULL_BELOW_BYTES = 8 * 2 ** 20;

/** The room left on the disk that holds `file`, for it (and its WAL) to grow, in bytes. */
export function diskFreeBytes(file: string): number {
  const s = statfsSync(dirname(file));
  return s.bavail * s.bsize;
}

/** The disk running low: MB left, and whether that is as good as full. */
export type DiskLow = { mb: number; full: boolean };

export type DiskWatch = {
  /** the disk when it is below the warning's threshold; null when there is room (or it cannot be told) */
  low(): DiskLow | null;
  /** measure again at the next `low()`: a write just failed for want of room */
  remeasure(): void;
};

export function watchDisk(file: string, { everyMs = 60_000, warnBelowBytes = WARN_FREE_BYTES } = {}): DiskWatch {
  let measured = -Infinity;
  let low: DiskLow | null = null;
  return {
    low() {
      if (Date.now() - measured >= everyMs) {
        measured = Date.now();
        try {
          const free = diskFreeBytes(file);
          low = free < warnBelowBytes ? { mb: Math.floor(free / 2 ** 20), full: free < FULL_BELOW_BYTES } : null;
        } catch {
          low = null;
        }
      }
      return low;
    },
    remeasure() {
      measured = -Infinity;
    },
  };
}
