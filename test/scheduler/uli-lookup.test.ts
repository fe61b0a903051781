// Issue 13/16: the scheduler takes the audit trail's new entries into the ULI lookup on its own.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recordAudit } from '../../src/domain/audit/audit.ts';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { startUliLookup } from '../../src/scheduler/uli-lookup.ts';
import { startScheduler } from '../../src/scheduler/scheduler.ts';
import { adapt } from '../../src/netcare-connection.ts';
import { freshDb } from '../support/app.ts';
import type { Db } from '../../src/domain/database/db.ts';

const clock = new ManualClock('2026-11-10T09:00:00-07:00');
const view = (db: Db) => recordAudit(db, clock, null, { action: 'view', route: 'GET /members', patientIds: [1] }, 'clerk');
const mark = async (db: Db) => Number((await db.execute('SELECT audit_id FROM audit_uli_lookup_through')).rows[0].audit_id);
async function until(db: Db, n: number) {
  for (const end = Date.now() + 5_000; (await mark(db)) < n;) {
    if (Date.now() > end) throw new Error(`the lookup stayed at ${await mark(db)}, not ${n}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
async function withPatient(): Promise<Db> {
  const db = await freshDb();
  await db.execute(`INSERT INTO patients (id, uli, last_name, first_name, birth_date, gender) VALUES (1, '100000001', 'Doe', 'Jan', '1980-01-01', 'F')`);
  return db;
}

test('at each interval the entries written since are taken into the lookup, until stopped', async () => {
  const db = await withPatient();
  const timer = startUliLookup(db, 20);
  try {
    await view(db);
    await until(db, 1);
    await Promise.all([view(db), view(db)]);
    await until(db, 3);
  } finally {
    await timer.stop();
  }
  await view(db);
  await new Promise((r) => setTimeout(r, 100));
  assert.is(await mark(db), 3, 'nothing taken in once stopped');
  assert.is(Number((await db.execute('SELECT count(*) AS n FROM audit_uli_lookup')).rows[0].n), 3);
  db.close();
});

test('the portal scheduler extends the lookup at its interval', async () => {
  const db = await withPatient();
  // No submission is due or pending: the tick never calls Netcare.
  const netcare = adapt('http://127.0.0.1:9', 'none', 'uli-lookup-test', { retryBudgetMs: 100, timeoutMs: 100 });
  const scheduler = startScheduler({ db, clock, netcare, workerId: 'uli-lookup-test' }, { pollIntervalMs: 20, heartbeatMs: 20, uliLookupMs: 20, log: () => {} });
  try {
    await view(db);
    await until(db, 1);
  } finally {
    await scheduler.stop();
    db.close();
  }
});

test.run();
