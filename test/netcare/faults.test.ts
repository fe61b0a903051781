import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createNetcareClient, type NetcareClientOptions } from '../../src/netcare/client.ts';
import { buildCparGroup } from '../../src/netcare/payload.ts';
import { messageFromGroup } from '../../src/netcare/encode.ts';
import type { RunningSimulator } from '../../src/netcare-sim/embed.ts';
import { healthInformation, panelSnapshot, setFault, simRequests, simSubmissions, startTestSimulator, timed } from './support/simulator.ts';

const group = buildCparGroup(panelSnapshot(), 1);
const attemptsWith = async (url: string, key: string) =>
  (await simRequests(url)).filter((r) => r.method === 'POST' && r.idempotencyKey === key).length;

const faults = suite('Netcare faults');
let sim: RunningSimulator;
const client = (options: Partial<NetcareClientOptions> = {}) =>
  createNetcareClient({ baseUrl: sim.url, timeoutMs: 300, retryBudgetMs: 600, baseDelayMs: 20, ...options });
faults.before(async () => {
  sim = await startTestSimulator({ confirmDelayMs: 0 });
});
faults.after.each(() => setFault(sim.url, { mode: 'none' }));
faults.after(() => sim.close());

faults('a Netcare answering 500 is retried, then reported as an error with its status, without patient data', async () => {
  await setFault(sim.url, { mode: '500' });
  const outcome = await client().submit(messageFromGroup(group), 'key-500');
  assert.is(outcome.kind, 'error');
  assert.is(outcome.kind === 'error' ? outcome.status : 0, 500);
  const detail = outcome.kind === 'error' ? outcome.detail : '';
  assert.match(detail, /^Netcare answered 500; gave up after \d+ attempts? in 0\.\d s$/);
  for (const value of healthInformation()) assert.not.match(detail, value);
  assert.ok((await attemptsWith(sim.url, 'key-500')) > 1);
  assert.is((await simSubmissions(sim.url)).length, 0);
});

faults('retries back off exponentially with jitter and stop before the budget would be overrun', async () => {
  await setFault(sim.url, { mode: '500' });
  const waits: number[] = [];
  const sleep = async (ms: number) => void waits.push(ms);
  const outcome = await client({ timeoutMs: 150, retryBudgetMs: 1300, baseDelayMs: 10, random: () => 0.5, sleep }).submit(messageFromGroup(group), 'key-backoff');
  assert.is(outcome.kind, 'error');
  // Each wait is half (the jitter) of 10 ms doubled per attempt; 1280 ms plus an attempt would overrun
  // the budget. The 640 ms wait needs the real time spent so far under 510 ms: a loaded machine may miss it.
  const full = [5, 10, 20, 40, 80, 160, 320, 640];
  assert.ok(waits.length >= 7, `waited ${waits.join(', ')}`);
  assert.equal(waits, full.slice(0, waits.length));
  assert.is(await attemptsWith(sim.url, 'key-backoff'), waits.length + 1);
});

faults('retries end within the retry budget', async () => {
  await setFault(sim.url, { mode: '500' });
  const { result, elapsedMs } = await timed(() => client({ timeoutMs: 100, retryBudgetMs: 300 }).submit(messageFromGroup(group), 'key-budget'));
  assert.is(result.kind, 'error');
  assert.ok(elapsedMs < 400, `took ${elapsedMs} ms`);
});

faults('500 for the first two attempts, then accepted: one submission, three receipts of one key', async () => {
  await setFault(sim.url, { mode: '500', count: 2 });
  const outcome = await client().submit(messageFromGroup(group), 'key-flaky');
  assert.is(outcome.kind, 'accepted');
  const stored = (await simSubmissions(sim.url)).filter((s) => s.idempotencyKey === 'key-flaky');
  assert.is(stored.length, 1);
  assert.is(stored[0].receivedCount, 3);
});

faults('429 is retried after the Retry-After Netcare asks for', async () => {
  await setFault(sim.url, { mode: '429', count: 1 });
  const waits: number[] = [];
  const outcome = await client({ retryBudgetMs: 5000, sleep: async (ms) => void waits.push(ms) }).submit(messageFromGroup(group), 'key-429');
  assert.is(outcome.kind, 'accepted');
  assert.equal(waits, [1000]);
  assert.is(await attemptsWith(sim.url, 'key-429'), 2);
});

faults('a Retry-After longer than the budget left gives up at once instead of waiting', async () => {
  await setFault(sim.url, { mode: '429' });
  const waits: number[] = [];
  const outcome = await client({ retryBudgetMs: 500, sleep: async (ms) => void waits.push(ms) }).submit(messageFromGroup(group), 'key-429-long');
  assert.equal(outcome.kind === 'error' ? [outcome.status, outcome.detail.replace(/ in .*/, '')] : [], [429, 'Netcare answered 429; gave up after 1 attempt']);
  assert.equal(waits, []);
});

faults('an answer slower than the timeout is given up on within the budget as unanswered: Netcare stores it all the same', async () => {
  await setFault(sim.url, { mode: 'slow', slowMs: 400 });
  const { result, elapsedMs } = await timed(() => client({ timeoutMs: 100 }).submit(messageFromGroup(group), 'key-slow'));
  assert.is(result.kind, 'unanswered');
  assert.match(result.kind === 'unanswered' ? result.detail : '', /^no answer within \d+ ms/);
  assert.ok(elapsedMs < 700, `took ${elapsedMs} ms`);
  // The simulator's slow mode stores what it answers late: the outcome really was unknown.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal((await simSubmissions(sim.url)).filter((s) => s.idempotencyKey === 'key-slow').length, 1);
  await setFault(sim.url, { mode: 'none' });
  assert.is((await client().lookup('key-slow')).kind, 'known');
});

faults('a send unanswered once and refused with 500 after is still unanswered: the first try may have landed', async () => {
  await setFault(sim.url, { mode: 'hang', count: 1 });
  const outcome = await timed(() => client({ timeoutMs: 100, retryBudgetMs: 400 }).submit(messageFromGroup(group), 'key-mixed'));
  assert.is(outcome.result.kind, 'accepted', 'the second try settles it');
  await setFault(sim.url, { mode: 'hang', count: 1 });
  const sleep = async () => { await setFault(sim.url, { mode: '500' }); };
  const mixed = await client({ timeoutMs: 100, retryBudgetMs: 400, sleep }).submit(messageFromGroup(buildCparGroup(panelSnapshot(), 2)), 'key-mixed-2');
  assert.is(mixed.kind, 'unanswered');
});

faults('an answer slower than usual but within the timeout is accepted', async () => {
  await setFault(sim.url, { mode: 'slow', slowMs: 30 });
  assert.is((await client().submit(messageFromGroup(group), 'key-slowish')).kind, 'accepted');
});

faults('a Netcare that never answers is reported unanswered within the budget', async () => {
  await setFault(sim.url, { mode: 'hang' });
  const { result, elapsedMs } = await timed(() => client({ timeoutMs: 100 }).submit(messageFromGroup(group), 'key-hang'));
  assert.match(result.kind === 'unanswered' ? result.detail : '', /^no answer within \d+ ms; gave up after \d attempts? in/);
  assert.ok(elapsedMs < 700, `took ${elapsedMs} ms`);
});

faults('status polls are retried the same way', async () => {
  const accepted = await client().submit(messageFromGroup(group), 'key-status');
  const reference = accepted.kind === 'accepted' ? accepted.reference : '';
  await setFault(sim.url, { mode: '500', count: 1 });
  assert.is((await client().status(reference)).kind, 'confirmed');
  await setFault(sim.url, { mode: '500' });
  assert.match(await client().status(reference).then((s) => (s.kind === 'unreachable' ? s.detail : '')), /^Netcare answered 500/);
});

faults.run();

const down = suite('Netcare down');

down('a port nobody listens on is unreachable with the connection error: nothing was written', async () => {
  const closed = await startTestSimulator();
  await closed.close();
  const client = createNetcareClient({ baseUrl: closed.url, timeoutMs: 100, retryBudgetMs: 200, baseDelayMs: 20 });
  const { result, elapsedMs } = await timed(() => client.submit(messageFromGroup(group), 'key-down'));
  assert.match(result.kind === 'unreachable' ? result.detail : '', /^connection failed \(ECONNREFUSED\); gave up after \d+ attempts? in/);
  assert.ok(elapsedMs < 300, `took ${elapsedMs} ms`);
});

down('closing the simulator ends a request it was holding', async () => {
  const hanging = await startTestSimulator({ fault: { mode: 'hang' } });
  const request = fetch(`${hanging.url}/health`).then(() => fetch(`${hanging.url}/cpar/submissions/NC-1`)).then(
    (response) => `answered ${response.status}`, () => 'connection ended');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const { elapsedMs } = await timed(() => hanging.close());
  assert.is(await request, 'connection ended');
  assert.ok(elapsedMs < 200, `took ${elapsedMs} ms`);
});

down.run();
