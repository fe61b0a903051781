// The standalone simulator reads received messages in a thread of its own: the answers must
// be those of the in-thread reading.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createNetcareClient } from '../../src/netcare/client.ts';
import { messageFromGroup } from '../../src/netcare/encode.ts';
import { buildCparGroup } from '../../src/netcare/payload.ts';
import { panelSnapshot, simSubmissions, startTestSimulator } from './support/simulator.ts';

const thread = suite('a simulator reading messages in its own thread');

thread('accepts, replays, and refuses as in its server thread', async () => {
  const sim = await startTestSimulator({ receiptThread: true });
  try {
    const client = createNetcareClient({ baseUrl: sim.url, timeoutMs: 2000, retryBudgetMs: 3000 });
    const message = messageFromGroup(buildCparGroup(panelSnapshot({ panelNumber: 'CPAR-000777' }), 1));
    const first = await client.submit(message, 'key-thread');
    const again = await client.submit(message, 'key-thread');
    assert.is(first.kind, 'accepted');
    assert.equal(again, first);
    const other = await client.submit(messageFromGroup(buildCparGroup(panelSnapshot({ panelName: 'Other' }), 1)), 'key-thread');
    assert.equal(other, { kind: 'rejected', reason: 'This Idempotency-Key was already used for a different panel message' });
    const broken = await fetch(`${sim.url}/cpar/submissions`, {
      method: 'POST', body: '{"resourceType":"Group"', headers: { 'Content-Type': 'application/fhir+json', 'Idempotency-Key': 'key-broken' },
    });
    assert.is(broken.status, 422);
    assert.match(((await broken.json()) as { reason: string }).reason, /^The panel message is not valid: \(root\): must be a JSON object/);
    assert.equal((await simSubmissions(sim.url)).map((s) => [s.idempotencyKey, s.panelNumber, s.patientCount, s.receivedCount]),
      [['key-thread', 'CPAR-000777', 4, 3]]);
  } finally {
    await sim.close();
  }
});

thread.run();
