import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const server = suite('server start-up');

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

server('a bad value stops the server with a message naming the variable', async () => {
  for (const [name, value] of [['PORT', 'eighty'], ['NETCARE_URL', 'ftp://x'], ['NETCARE_POLL_INTERVAL_MS', 'soon']]) {
    const run = start({ [name]: value });
    assert.is(await run.exited, 1, name);
    assert.match(run.err(), name);
  }
});

server('first start seeds the demo clinic, prints working credentials once, and serves it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpar-server-'));
  const port = await freePort();
  const env = { PORT: String(port), DATABASE_URL: `file:${join(dir, 'cpar.db')}`, NETCARE_SIM_CONFIRM_DELAY_MS: '60000' };
  const run = start(env);
  try {
    await until(() => run.out().includes('CPAR portal on'), 20_000);
    const admin = run.out().match(/^\s+admin\s+(\S+)/m);
    assert.ok(admin, run.out());
    assert.match(run.out(), /clerk\s+\S+/);
    assert.match(run.out(), /drokafor\s+\S+/);
    assert.match(run.out(), 'embedded Netcare simulator');
    const base = `http://localhost:${port}`;
    const login = await fetch(`${base}/login`, {
      method: 'POST', redirect: 'manual',
      headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password: admin![1] }),
    });
    assert.is(login.status, 303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const page = await fetch(`${base}/settings/cii-cpar/submissions`, { headers: { Cookie: cookie } });
    assert.is(page.status, 200);
    const html = await page.text();
    for (const status of ['Queued', 'Pending', 'Submitted', 'Failed']) assert.match(html, `badge-${status.toLowerCase()}`);
    // A failed sign-in, a patient-level page and a crash-free minute of scheduler work later,
    // the log holds no patient's ULI or name, no password and no session token.
    await fetch(`${base}/login`, { method: 'POST', headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password: 'wrong password here' }) });
    const panels = await fetch(`${base}/settings/cii-cpar/panels`, { headers: { Cookie: cookie } });
    const firstPanel = /href="\/settings\/cii-cpar\/panels\/(\d+)"/.exec(await panels.text())?.[1];
    assert.is((await fetch(`${base}/settings/cii-cpar/panels/${firstPanel}/members`, { headers: { Cookie: cookie } })).status, 200);
    const logged = run.out().slice(run.out().indexOf('CPAR portal on')) + run.err();
    const { createClient } = await import('@libsql/client');
    const db = createClient({ url: env.DATABASE_URL });
    const people = (await db.execute('SELECT uli, first_name, last_name FROM patients')).rows;
    db.close();
    for (const p of people) {
      assert.not.match(logged, String(p.uli), 'no ULI in the log');
      assert.not.match(logged, `${p.first_name} ${p.last_name}`, 'no patient name in the log');
      assert.not.match(logged, `${p.last_name}, ${p.first_name}`, 'no patient name in the log');
    }
    for (const secret of [admin![1], 'wrong password here', cookie.split('=')[1]]) assert.not.match(logged, secret);
    const htmx = await fetch(`${base}/static/htmx.min.js`);
    assert.is(htmx.status, 200);
    assert.match(htmx.headers.get('content-type') ?? '', 'javascript');
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
  // A second start finds the clinic and prints no passwords.
  const again = start(env);
  try {
    await until(() => again.out().includes('CPAR portal on'), 20_000);
    assert.not.match(again.out(), 'Demo clinic created');
  } finally {
    again.child.kill('SIGTERM');
    await again.exited;
  }
});

/** Whether a TCP connection to address:port is accepted. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2_000 });
    socket.on('connect', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => { socket.destroy(); resolve(false); });
  });
}

server('outside production the server listens on 127.0.0.1 only, not on the machine\'s other addresses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpar-server-'));
  const port = await freePort();
  const run = start({ PORT: String(port), DATABASE_URL: `file:${join(dir, 'cpar.db')}`, NETCARE_SIM_CONFIRM_DELAY_MS: '60000' });
  try {
    await until(() => run.out().includes('CPAR portal on'), 20_000);
    assert.match(run.out(), `CPAR portal on http://127.0.0.1:${port}`);
    assert.ok(await accepts('127.0.0.1', port));
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === 'IPv4').map((a) => a!.address);
    assert.ok(others.length > 0, 'this machine has no other address to try');
    for (const address of others) assert.not.ok(await accepts(address, port), `reachable on ${address}`);
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
});

server.run();
