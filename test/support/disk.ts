// A real disk that fills up: a small tmpfs (mounting it needs root, as CI runs) and a filler
// file that takes every byte left on it.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type SmallDisk = { dir: string; fill(leaveBytes?: number): void; makeRoom(): void; unmount(): void };

export function smallDisk(megabytes = 8): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'cpar-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    /** Writes zeros into a filler file until the disk has no room left, then gives `leaveBytes` of it back. */
    fill(leaveBytes = 0) {
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(1024 * 1024);
      try {
        for (let full = false; !full;) {
          try {
            writeSync(fd, chunk);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
            full = true;
          }
        }
      } finally {
        closeSync(fd);
      }
      if (leaveBytes > 0) truncateSync(filler, Math.max(0, statSync(filler).size - leaveBytes));
    },
    makeRoom: () => rmSync(filler, { force: true }),
    unmount() {
      // Lazily: the native driver lets a closed connection's file go only once its statements are collected.
      execFileSync('umount', ['--lazy', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
