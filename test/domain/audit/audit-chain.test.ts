// Issue 13: tamper evidence. Each entry carries SHA3-256(previous hash || its content); the
// database refuses anything but an append at the end of the chain, and `audit verify` names
// the first entry that no longer matches.
import { writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../../src/cli.ts';
import { recordAudit } from '../../../src/domain/audit/audit.ts';
import { verifyChain } from '../../../src/domain/audit/audit-chain.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { openDatabase, type Db } from '../../../src/domain/database/db.ts';
import { migrate, readMigrations } from '../../../src/domain/database/migrate.ts';
import { run, startSqld, tempDir, until } from '../../support/processes.ts';

const chain = suite('audit hash chain');
const clock = new ManualClock('2026-11-10T09:00:00-07:00');
const scope = { userId: 1, username: 'clerk', fullName: 'Clerk', permissions: new Set(['cii_cpar_settings'] as const) };

async function trail(entries = 5): Promise<{ db: Db; url: string }> {
  const url = `file:${tempDir('cpar-chain-')}/chain.db`;
  const db = await openDatabase(url);
  await migrate(db);
  await db.execute(`INSERT INTO patients (id, uli, last_name, first_name, birth_date, gender)
    VALUES (1, '100000001', 'Doe', 'Jan', '1980-01-01', 'F'), (2, '100000002', 'Émile', 'Zoë "Z"', '1981-02-02', 'M')`);
  for (let i = 1; i <= entries; i++) {
    await recordAudit(db, clock, i % 2 ? scope : null, { action: 'view', route: `GET /page/${i}`, objectType: 'panel_members', objectId: i, patientIds: i % 2 ? [2, 1] : [] }, 'scheduler');
  }
  return { db, url };
}

async function verify(url: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['audit', 'verify'], { env: { DATABASE_URL: url }, readStdin: async () => '', out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// What someone with the database file can do: the triggers are only SQL, and can be dropped.
async function asIntruder(db: Db, sql: string) {
  await db.executeMultiple(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_patients_no_update; DROP TRIGGER audit_log_no_delete;
    ${sql};`);
}

chain('an untouched trail verifies, and the CLI says how many entries', async () => {
  const { db, url } = await trail();
  assert.equal(await verifyChain(db), { ok: true, entries: 5, head: String((await db.execute('SELECT hash FROM audit_log WHERE id = 5')).rows[0].hash) });
  const result = await verify(url);
  assert.is(result.code, 0);
  assert.match(result.out, 'The audit trail verifies: 5 entries');
});

chain('a changed entry, a changed patient name and a removed entry are each named by verify, which exits 1', async () => {
  for (const [tamper, broken] of [
    ["UPDATE audit_log SET username = 'someone else' WHERE id = 3", 3],
    ["UPDATE audit_log SET at = at + 1 WHERE id = 4", 4],
    ["UPDATE audit_patients SET uli = '999999999' WHERE audit_id = 3 AND position = 1", 3],
    ['DELETE FROM audit_log WHERE id = 2', 3],
    // the database lets a patient row in (a trigger per row cost too much); the hash does not
    ["INSERT INTO audit_patients (audit_id, position, uli, name) VALUES (1, 9, '123456789', 'Added, Later')", 1],
  ] as const) {
    const { db, url } = await trail();
    await asIntruder(db, tamper);
    const result = await verify(url);
    assert.is(result.code, 1, tamper);
    assert.match(result.err, `The audit trail is broken at entry ${broken}:`, tamper);
  }
});

chain('the database refuses INSERT OR REPLACE and any insert that reuses an id or forks the chain', async () => {
  const { db } = await trail(3);
  const before = (await db.execute('SELECT * FROM audit_log ORDER BY id')).rows;
  const attempts = [
    "INSERT OR REPLACE INTO audit_log (id, at, at_edmonton, action, route, prev_hash, hash) VALUES (1, 0, 'x', 'view', 'x', NULL, 'h')",
    "REPLACE INTO audit_log (id, at, at_edmonton, action, route, prev_hash, hash) SELECT 2, 0, 'x', 'view', 'x', prev_hash, hash FROM audit_log WHERE id = 2",
    "INSERT INTO audit_log (id, at, at_edmonton, action, route, prev_hash, hash) VALUES (1, 0, 'x', 'view', 'x', NULL, 'h')",
    // entry 1 rewritten by REPLACE, even linked to the last hash as a new entry would be
    "REPLACE INTO audit_log (id, at, at_edmonton, action, route, prev_hash, hash) SELECT 1, 0, 'x', 'view', 'x', hash, 'h' FROM audit_log WHERE id = 3",
    // a second entry linked to entry 2, beside entry 3: a fork
    "INSERT INTO audit_log (id, at, at_edmonton, action, route, prev_hash, hash) SELECT 4, 0, 'x', 'view', 'x', hash, 'h' FROM audit_log WHERE id = 2",
    "INSERT INTO audit_log (at, at_edmonton, action, route) VALUES (0, 'x', 'view', 'x')",
  ];
  for (const sql of attempts) {
    try {
      await db.execute(sql);
      assert.unreachable(sql);
    } catch (error) {
      assert.match(String(error), 'append-only', sql);
    }
  }
  assert.equal((await db.execute('SELECT * FROM audit_log ORDER BY id')).rows, before);
  assert.is((await verifyChain(db)).ok, true);
});

chain('entries written before the chain existed are chained by the migration, their named patients moved to the child table', async () => {
  const db = await openDatabase(`file:${tempDir('cpar-chain-')}/old.db`);
  await migrate(db, readMigrations().filter((m) => m.version < 14));
  await db.execute(`INSERT INTO audit_log (at, at_edmonton, username, action, route, patients, patient_count) VALUES
    (1, '2026-01-01 00:00', 'clerk', 'edit', 'POST /a', '[{"uli":"123456789","name":"Doe, Jan"}]', 1),
    (2, '2026-01-01 00:00', 'clerk', 'view', 'GET /b', NULL, 40)`);
  await migrate(db);
  assert.equal(await verifyChain(db).then((c) => c.ok && c.entries), 2);
  assert.equal((await db.execute('SELECT audit_id, uli, name FROM audit_patients')).rows.map((r) => [r.audit_id, r.uli, r.name]), [[1, '123456789', 'Doe, Jan']]);
  await recordAudit(db, clock, scope, { action: 'view', route: 'GET /c' });
  assert.equal(await verifyChain(db).then((c) => c.ok && c.entries), 3);
});

// Two portals on one database: their entries interleave, yet each links to the one before it.
for (const store of ['file', 'sqld'] as const) {
  chain(`two processes writing at once on ${store === 'file' ? 'one file' : 'one sqld'} keep one unbroken chain`, async () => {
    const sqld = store === 'sqld' ? await startSqld() : null;
    const url = sqld?.url ?? `file:${tempDir('cpar-chain-')}/two.db`;
    try {
      const db = await openDatabase(url);
      await migrate(db);
      await db.execute("INSERT INTO patients (id, uli, last_name, first_name, birth_date, gender) VALUES (1, '100000001', 'Doe', 'Jan', '1980-01-01', 'F')");
      const go = `${tempDir('cpar-go-')}/go`;
      const env = { DATABASE_URL: url, ENTRIES: '150', PATIENT_IDS: '[1]', GO_FILE: go };
      const writers = ['one', 'two'].map((who) => run(process.execPath, ['--import', 'tsx', 'test/support/audit-writer.ts'], { ...env, WRITER: who }));
      await until(() => writers.every((w) => w.out().includes('ready')), 30_000, 'both writers');
      writeFileSync(go, '');
      const codes = await Promise.all(writers.map((w) => w.exited));
      assert.equal(codes, [0, 0], writers.map((w) => w.err()).join('\n'));
      assert.equal(await verifyChain(db).then((c) => c.ok && c.entries), 300);
      const interleaved = (await db.execute('SELECT username FROM audit_log ORDER BY id')).rows.map((r) => r.username);
      // sqld interleaves the two; SQLite's file lock may let one writer finish first under load
      // (the other's busy handler sleeps), and the chain must hold either way.
      const switches = interleaved.filter((u, i) => i > 0 && u !== interleaved[i - 1]).length;
      if (store === 'sqld') assert.ok(switches > 1, `the writers overlapped (${switches} switches)`);
      assert.is(Number((await db.execute('SELECT count(*) AS n FROM audit_patients')).rows[0].n), 300);
      db.close();
    } finally {
      await sqld?.stop();
    }
  });
}

chain.run();
