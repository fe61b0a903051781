// The bench's child processes: the Netcare simulator (its own process, so the portal's RSS and
// CPU are measured alone), the measured tasks (child.ts) and the page server (serve.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, peakRssMb, resetPeakRss } from './proc.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULT = 'BENCH-RESULT ';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves with the first stdout line that starts with `prefix` (the rest of it), or rejects when the child exits. */
function lineStartingWith(child: ChildProcess, prefix: string, echo: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let found = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!found && line.startsWith(prefix)) {
          found = true;
          resolve(line.slice(prefix.length));
        } else if (echo) console.log(`    │ ${line}`);
      }
    });
    child.once('exit', (code, signal) => {
      if (!found) reject(new Error(`child exited (${code ?? signal}) before printing ${prefix.trim()}`));
    });
  });
}

/**
 * node --cpu-prof writes one profile per thread (tsx adds a loader thread), so each process
 * gets a directory of its own; profile-top.ts picks the busiest profile in it.
 */
function profileOptions(dir: string | undefined, name: string): string[] {
  return dir ? ['--cpu-prof', '--cpu-prof-dir', join(dir, `${name}-${Date.now()}`)] : [];
}

/**
 * A Node process of the bench, with glibc's malloc arenas limited as `npm start` and
 * docs/OPERATIONS.md run the portal (MALLOC_ARENA_MAX=2: each thread that allocates gets an
 * arena of its own otherwise, and what one thread frees stays in its arena — the province
 * run's peak RSS 285 MB with the default, 253 MB with two, when its panels were prepared on a
 * thread of their own).
 */
function node(args: string[], env: Record<string, string> = {}, nodeOptions: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeOptions, '--import', 'tsx', ...args], {
    cwd: ROOT, env: { MALLOC_ARENA_MAX: '2', ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export type SimulatorProcess = { url: string; pid: number; phase(): { peakRssMb: number | null; cpuSeconds: number | null }; stop(): Promise<void> };

/** `node --import tsx src/netcare-sim/main.ts`, confirming at once, on a loopback port. */
export async function startSimulatorProcess(databasePath: string, { cpuProfDir }: { cpuProfDir?: string } = {}): Promise<SimulatorProcess> {
  const port = await freePort();
  const nodeOptions = profileOptions(cpuProfDir, 'simulator');
  const child = node(['src/netcare-sim/main.ts'], {
    NETCARE_SIM_PORT: String(port), NETCARE_SIM_DATABASE_URL: `file:${databasePath}`, NETCARE_SIM_CONFIRM_DELAY_MS: '0',
  }, nodeOptions);
  await lineStartingWith(child, 'Netcare simulator on ', false);
  const pid = child.pid!;
  let cpuAtStart = cpuSeconds(pid);
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    /** peak RSS and CPU since the previous call (or the start), then starts a new phase */
    phase() {
      const cpu = cpuSeconds(pid);
      const result = { peakRssMb: peakRssMb(pid), cpuSeconds: cpu === null || cpuAtStart === null ? null : cpu - cpuAtStart };
      cpuAtStart = cpu;
      resetPeakRss(pid);
      return result;
    },
    stop: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

/** Runs one measured task of child.ts in its own process and returns what it printed. */
export async function runTask<T>(task: string, options: object, { cpuProfDir }: { cpuProfDir?: string } = {}): Promise<T> {
  const nodeOptions = profileOptions(cpuProfDir, task);
  const child = node(['scripts/bench/child.ts', task, JSON.stringify(options)], {}, nodeOptions);
  const line = await lineStartingWith(child, RESULT, true);
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  return JSON.parse(line) as T;
}

/** Prints a task's result where runTask finds it. */
export function printResult(result: object): void {
  console.log(RESULT + JSON.stringify(result));
}

export type PageServer = { base: string; cookie: string; pid: number; peakRssMb(): number | null; stop(): Promise<void> };

/** The portal's app on a loopback port (serve.ts), signed in as the bench user. */
export async function startPageServer(databasePath: string, at: Date,
  { cpuProfDir, env = {}, withoutAuditPatients = false }: { cpuProfDir?: string; env?: Record<string, string>; withoutAuditPatients?: boolean } = {}): Promise<PageServer> {
  const port = await freePort();
  const nodeOptions = profileOptions(cpuProfDir, 'server');
  const child = node(['scripts/bench/serve.ts', databasePath, String(port), at.toISOString(),
    ...(withoutAuditPatients ? ['--without-audit-patients'] : [])], env, nodeOptions);
  const ready = JSON.parse(await lineStartingWith(child, 'BENCH-SERVER ', true)) as { cookie: string };
  return {
    base: `http://127.0.0.1:${port}`, cookie: ready.cookie, pid: child.pid!,
    peakRssMb: () => peakRssMb(child.pid!),
    stop: () => stopChild(child),
  };
}
