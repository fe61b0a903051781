// One HTTP exchange (src/netcare/http.ts) against small real servers: the timeout covers the
// whole exchange, the answer's body included, and nothing of an exchange outlives it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { send } from '../../src/netcare/http.ts';

const GET = { method: 'GET' as const, headers: { Accept: 'application/json' } };

async function serve(handler: (res: ServerResponse) => void): Promise<{ url: string; server: Server; held: ServerResponse[] }> {
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    held.push(res);
    req.resume();
    req.on('end', () => handler(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cpar/submissions`, server, held };
}

async function stop({ server, held }: { server: Server; held: ServerResponse[] }) {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** The exchange's answer, or 'still waiting' after `ms`: a test fails rather than hangs. */
async function within<T>(ms: number, exchange: Promise<T>): Promise<T | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still waiting'>((resolve) => (timer = setTimeout(() => resolve('still waiting'), ms)));
  try {
    return await Promise.race([exchange, late]);
  } finally {
    clearTimeout(timer);
  }
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('an answer whose body stops after the headers is given up on at the timeout, as written', async () => {
  const s = await serve((res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
    res.write('{"reference":');
  });
  try {
    const started = performance.now();
    const answer = await within(2_000, send(s.url, GET, 150));
    const elapsed = performance.now() - started;
    assert.equal(answer, { failed: 'no answer within 150 ms', written: true });
    assert.ok(elapsed >= 140 && elapsed < 1_000, `gave up after ${Math.round(elapsed)} ms`);
  } finally {
    await stop(s);
  }
});

test('no answer at all is given up on at the timeout, as written', async () => {
  const s = await serve(() => {});
  try {
    assert.equal(await within(2_000, send(s.url, { ...GET, method: 'POST', body: Buffer.from('{}') }, 100)), { failed: 'no answer within 100 ms', written: true });
  } finally {
    await stop(s);
  }
});

test('a refused connection fails at once, not written, naming only the error code', async () => {
  const s = await serve(() => {});
  await stop(s);
  const started = performance.now();
  assert.equal(await send(s.url, GET, 5_000), { failed: 'connection failed (ECONNREFUSED)', written: false });
  assert.ok(performance.now() - started < 1_000);
});

test('an exchange leaves no timer behind, whether answered, failed or timed out', async () => {
  const s = await serve((res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"reference":"R-1"}');
  });
  const hang = await serve(() => {});
  try {
    const before = timers();
    for (let i = 0; i < 20; i++) {
      const answer = await send(s.url, GET, 30_000);
      assert.equal(answer, { status: 200, body: { reference: 'R-1' }, retryAfterMs: undefined });
    }
    assert.is((await send(hang.url, GET, 50) as { failed: string }).failed, 'no answer within 50 ms');
    assert.is(timers(), before, 'a timer of a settled exchange is still pending');
  } finally {
    await stop(s);
    await stop(hang);
  }
});

test.run();
