// `--busy`: a steady background load on one core while the bench measures — what a clinic's
// server is never without (another program, a backup, an import). A process of its own that
// generates patient-like records in a loop, serialises and digests them, and never waits, so it
// takes one core for as long as it runs:
//   node --import tsx scripts/bench/busy.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { cpuSeconds } from './proc.ts';
import type { BusyFigures } from './rows.ts';

export type BusyLoad = { pid: number; stop(): Promise<BusyFigures> };

/** Starts the load; stop() ends it and says how much of one core it had (1 = all of it). */
export async function startBusyLoad(): Promise<BusyLoad> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    cwd: fileURLToPath(new URL('../../', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the busy load exited (${code}) before it started`)));
  });
  const pid = child.pid!;
  const started = performance.now();
  const cpuAtStart = cpuSeconds(pid);
  return {
    pid,
    async stop() {
      const cpu = cpuSeconds(pid);
      const seconds = (performance.now() - started) / 1000;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
      const used = cpu === null || cpuAtStart === null ? null : cpu - cpuAtStart;
      return { seconds, cpuSeconds: used, coreShare: used === null ? null : used / seconds };
    },
  };
}

/** The load itself: records made, written as JSON and digested, forever. */
function generateForever(): never {
  console.log('busy');
  let n = 0;
  for (;;) {
    const records = Array.from({ length: 1_000 }, () => {
      n++;
      return { uli: String(100_000_000 + (n % 900_000_000)), family: `Family${n % 7919}`, given: `Given${n % 104_729}`,
        birthDate: `19${String(n % 90 + 10)}-0${n % 9 + 1}-1${n % 9}`, visits: [n % 365, (n * 7) % 365] };
    });
    createHash('sha256').update(JSON.stringify(records)).digest();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) generateForever();
