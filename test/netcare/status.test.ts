import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { createNetcareClient, type NetcareClient } from '../../src/netcare/client.ts';
import { buildCparGroup } from '../../src/netcare/payload.ts';
import { messageFromGroup } from '../../src/netcare/encode.ts';
import type { RunningSimulator } from '../../src/netcare-sim/embed.ts';
import { panelSnapshot, setFault, simSubmissions, startTestSimulator } from './support/simulator.ts';

const fast = (url: string) => createNetcareClient({ baseUrl: url, timeoutMs: 500, retryBudgetMs: 1000, baseDelayMs: 10 });

async function accepted(client: NetcareClient, key: string): Promise<string> {
  const outcome = await client.submit(messageFromGroup(buildCparGroup(panelSnapshot(), 1)), key);
  if (outcome.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
  return outcome.reference;
}

const delayed = suite('confirmation after a delay');
let sim: RunningSimulator;
let client: NetcareClient;
const clock = new ManualClock('2026-11-16T04:00:00Z');
delayed.before(async () => {
  sim = await startTestSimulator({ clock, confirmDelayMs: 60_000 });
  client = fast(sim.url);
});
delayed.after(() => sim.close());

delayed('a submission is pending until the delay has passed, then confirmed', async () => {
  const reference = await accepted(client, 'key-delay');
  assert.equal(await client.status(reference), { kind: 'pending' });
  clock.advance(59_999);
  assert.equal(await client.status(reference), { kind: 'pending' });
  clock.advance(1);
  assert.is((await client.status(reference)).kind, 'confirmed');
  assert.is((await simSubmissions(sim.url))[0].status, 'confirmed');
});

delayed('a reference Netcare never issued is rejected as unknown', async () => {
  assert.equal(await client.status('NC-000000000000'), { kind: 'rejected', reason: 'Netcare does not know this submission' });
});

delayed.run();

const immediate = suite('confirmation without delay, and rejection');
let quick: RunningSimulator;
immediate.before(async () => {
  quick = await startTestSimulator({ confirmDelayMs: 0 });
});
immediate.after(() => quick.close());

immediate('with no delay a submission is confirmed at the first poll', async () => {
  const client = fast(quick.url);
  assert.is((await client.status(await accepted(client, 'key-now'))).kind, 'confirmed');
});

immediate('in reject mode Netcare accepts the panel, then reports it rejected with a reason', async () => {
  await setFault(quick.url, { mode: 'reject' });
  const client = fast(quick.url);
  const reference = await accepted(client, 'key-reject');
  assert.equal(await client.status(reference), {
    kind: 'rejected', reason: 'Netcare rejected the panel: demographic mismatch with the provincial client registry',
  });
  await setFault(quick.url, { mode: 'none' });
});

immediate.run();

const lookup = suite('looking a submission up by its Idempotency-Key');

lookup('a key Netcare received gives its reference and status; one it never received is unknown', async () => {
  const sim = await startTestSimulator({ confirmDelayMs: 0 });
  try {
    const client = fast(sim.url);
    const reference = await accepted(client, 'key-known');
    assert.equal(await client.lookup('key-known'), { kind: 'known', reference });
    const answer = await fetch(`${sim.url}/cpar/submissions?idempotency-key=key-known`);
    assert.equal(await answer.json(), { reference, status: 'confirmed' });
    assert.equal(await client.lookup('key-never-sent'), { kind: 'unknown_key' });
    const unknown = await fetch(`${sim.url}/cpar/submissions?idempotency-key=key-never-sent`);
    assert.equal([unknown.status, await unknown.json()], [404, { reason: 'unknown key' }]);
    await setFault(sim.url, { mode: '500' });
    assert.match(await client.lookup('key-known').then((l) => (l.kind === 'unreachable' ? l.detail : '')), /^Netcare answered 500/);
  } finally {
    await sim.close();
  }
});

lookup.run();
