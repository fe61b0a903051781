import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createNetcareClient, type NetcareClient } from '../../src/netcare/client.ts';
import { buildCparGroup } from '../../src/netcare/payload.ts';
import { messageFromGroup } from '../../src/netcare/encode.ts';
import type { RunningSimulator } from '../../src/netcare-sim/embed.ts';
import { healthInformation, panelSnapshot, PATIENTS, simRequests, simSubmissions, startTestSimulator } from './support/simulator.ts';

const submit = suite('submitting a panel to Netcare');
let sim: RunningSimulator;
let client: NetcareClient;
submit.before(async () => {
  sim = await startTestSimulator();
  client = createNetcareClient({ baseUrl: sim.url, timeoutMs: 500, retryBudgetMs: 1000, baseDelayMs: 10 });
});
submit.after(() => sim.close());

submit('a valid panel is accepted with a Netcare reference and stored as sent', async () => {
  const outcome = await client.submit(messageFromGroup(buildCparGroup(panelSnapshot({ panelNumber: 'CPAR-000001' }), 1)), 'key-accepted');
  assert.is(outcome.kind, 'accepted');
  const reference = outcome.kind === 'accepted' ? outcome.reference : '';
  assert.match(reference, /^NC-[0-9A-F]{12}$/);
  const stored = (await simSubmissions(sim.url)).find((s) => s.idempotencyKey === 'key-accepted');
  assert.equal(stored, {
    idempotencyKey: 'key-accepted', reference, panelNumber: 'CPAR-000001', patientCount: 4, receivedCount: 1, status: 'pending',
  });
});

submit('the same Idempotency-Key twice gets the same reference and is stored once', async () => {
  const group = buildCparGroup(panelSnapshot({ panelNumber: 'CPAR-000002' }), 2);
  const first = await client.submit(messageFromGroup(group), 'key-twice');
  const second = await client.submit(messageFromGroup(group), 'key-twice');
  assert.is(first.kind, 'accepted');
  assert.equal(second, first);
  const stored = (await simSubmissions(sim.url)).filter((s) => s.idempotencyKey === 'key-twice');
  assert.is(stored.length, 1);
  assert.is(stored[0].receivedCount, 2);
});

submit('a replay answers 200, a first receipt 202', async () => {
  const send = () => fetch(`${sim.url}/cpar/submissions`, {
    method: 'POST', headers: { 'Content-Type': 'application/fhir+json', 'Idempotency-Key': 'key-raw' },
    body: JSON.stringify(buildCparGroup(panelSnapshot(), 3)),
  });
  assert.is((await send()).status, 202);
  assert.is((await send()).status, 200);
});

submit('reusing a key for a different panel message is rejected, not silently answered', async () => {
  await client.submit(messageFromGroup(buildCparGroup(panelSnapshot(), 4)), 'key-reused');
  const outcome = await client.submit(messageFromGroup(buildCparGroup(panelSnapshot({ panelName: 'Another panel' }), 4)), 'key-reused');
  assert.equal(outcome, { kind: 'rejected', reason: 'This Idempotency-Key was already used for a different panel message' });
});

submit('an invalid panel is refused by the portal’s own check, not "rejected": nothing reaches Netcare', async () => {
  const patients = PATIENTS.map((p, i) => (i === 2 ? { ...p, uli: '55500011' } : p));
  const before = (await simRequests(sim.url)).length;
  const outcome = await client.submit(messageFromGroup(buildCparGroup(panelSnapshot({ patients }), 5)), 'key-invalid');
  assert.equal(outcome, { kind: 'not_sent', reason: 'member[2].entity: ULI must be 9 digits' });
  assert.is((await simRequests(sim.url)).length, before);
  assert.not.ok((await simSubmissions(sim.url)).some((s) => s.idempotencyKey === 'key-invalid'));
});

submit('Netcare refuses an invalid message with 422 and a reason that names no patient', async () => {
  const group = buildCparGroup(panelSnapshot(), 6);
  group.quantity = 9;
  (group.contained[1] as { birthDate: string }).birthDate = '1984-02-30';
  const response = await fetch(`${sim.url}/cpar/submissions`, {
    method: 'POST', headers: { 'Content-Type': 'application/fhir+json', 'Idempotency-Key': 'key-422' }, body: JSON.stringify(group),
  });
  assert.is(response.status, 422);
  const { reason } = (await response.json()) as { reason: string };
  assert.is(reason, 'The panel message is not valid: quantity: must equal the number of members (4); member[0].entity: birth date is not a valid date (YYYY-MM-DD)');
  for (const value of healthInformation()) assert.not.match(reason, value);
  assert.not.ok((await simSubmissions(sim.url)).some((s) => s.idempotencyKey === 'key-422'));
});

submit('Netcare refuses a submission without an Idempotency-Key', async () => {
  const response = await fetch(`${sim.url}/cpar/submissions`, {
    method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify(buildCparGroup(panelSnapshot(), 7)),
  });
  assert.is(response.status, 400);
  assert.equal(await response.json(), { reason: 'The Idempotency-Key header is required' });
});

submit.run();
