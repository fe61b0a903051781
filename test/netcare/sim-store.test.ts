import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase } from '../../src/domain/database/db.ts';
import { createNetcareClient } from '../../src/netcare/client.ts';
import { buildCparGroup } from '../../src/netcare/payload.ts';
import { messageFromGroup } from '../../src/netcare/encode.ts';
import { startSimulator } from '../../src/netcare-sim/embed.ts';
import { digestOf, openSimulatorDb, storeOnce } from '../../src/netcare-sim/store.ts';
import { healthInformation, panelSnapshot } from './support/simulator.ts';

const store = suite("the simulator's storage keeps no health information");

store('a received panel is kept as a digest: the database file holds no ULI, name or birth date', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'netcare-sim-store-')), 'sim.db');
  const sim = await startSimulator({ databaseUrl: `file:${path}`, port: 0 });
  try {
    const client = createNetcareClient({ baseUrl: sim.url, timeoutMs: 500, retryBudgetMs: 1000 });
    const outcome = await client.submit(messageFromGroup(buildCparGroup(panelSnapshot(), 1)), 'key-digest');
    assert.is(outcome.kind, 'accepted');
  } finally {
    await sim.close();
  }
  const bytes = readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('latin1');
  assert.ok(bytes.includes('key-digest'), 'the submission is stored');
  for (const value of healthInformation()) assert.not.ok(bytes.includes(value), 'a patient value is in the file');
});

store('a database from before keeps its submissions, digested, and tells replays from reused keys', async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'netcare-sim-store-')), 'old.db')}`;
  const message = JSON.stringify(buildCparGroup(panelSnapshot(), 3));
  const old = await openDatabase(url);
  await old.batch([
    `CREATE TABLE submissions (reference TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, panel_number TEXT NOT NULL,
       patient_count INTEGER NOT NULL, received_at INTEGER NOT NULL, verdict TEXT NOT NULL, reason TEXT, payload TEXT NOT NULL)`,
    { sql: "INSERT INTO submissions VALUES ('NC-000000000001', 'key-old', 'CPAR-000417', 4, 1, 'confirmed', NULL, ?)", args: [message] },
  ], 'write');
  old.close();

  const db = await openSimulatorDb(url);
  try {
    const columns = (await db.execute("SELECT name FROM pragma_table_info('submissions')")).rows.map((c) => c.name);
    assert.not.ok(columns.includes('payload'));
    assert.ok(columns.includes('outcome'), 'a database written before the registry answered gains its outcome column');
    const entry = { idempotencyKey: 'key-old', panelNumber: 'CPAR-000417', patientCount: 4, receivedAt: 2, verdict: 'confirmed', reason: null, outcome: null } as const;
    const replay = await storeOnce(db, { ...entry, payloadSha256: digestOf(Buffer.from(message)) });
    assert.equal([replay.stored, replay.samePayload, replay.submission.reference], [false, true, 'NC-000000000001']);
    const reused = await storeOnce(db, { ...entry, payloadSha256: digestOf(Buffer.from(`${message} `)) });
    assert.equal([reused.stored, reused.samePayload], [false, false]);
  } finally {
    db.close();
  }
});

store.run();
