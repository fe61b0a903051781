// Issue 13/16: "who saw this patient?" is answered from a lookup the scheduler extends behind
// the trail, and from the trail's own rows past the lookup's mark: a search finds every entry
// naming the ULI however far behind the lookup is, each once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { recordAudit, type AuditEntry } from '../../../src/domain/audit/audit.ts';
import { verifyChain } from '../../../src/domain/audit/audit-chain.ts';
import { searchAudit } from '../../../src/domain/audit/audit-query.ts';
import { patientAccessReport } from '../../../src/domain/audit/patient-access.ts';
import { extendUliLookup } from '../../../src/domain/audit/uli-lookup.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { openDatabase, type Db } from '../../../src/domain/database/db.ts';
import { migrate, readMigrations } from '../../../src/domain/database/migrate.ts';
import { freshDb } from '../../support/app.ts';
import { startSqld, tempDir } from '../../support/processes.ts';

const lookup = suite('audit ULI lookup');
const clock = new ManualClock('2026-11-10T09:00:00-07:00');
const scope = { userId: 1, username: 'clerk', fullName: 'Clerk', permissions: new Set(['cii_cpar_settings'] as const) };
const [JAN, ANN, LEE] = ['100000001', '100000002', '100000003'];

async function withPatients(db: Db): Promise<Db> {
  await db.execute(`INSERT INTO patients (id, uli, last_name, first_name, birth_date, gender) VALUES
    (1, '${JAN}', 'Doe', 'Jan', '1980-01-01', 'F'), (2, '${ANN}', 'Roe', 'Ann', '1981-02-02', 'M'), (3, '${LEE}', 'Poe', 'Lee', '1982-03-03', 'X')`);
  return db;
}
const write = (db: Db, entries: AuditEntry[]) => Promise.all(entries.map((e) => recordAudit(db, clock, scope, e)));
// Each kind of access: a page, an export, a change, a search, an undo, and a send to Netcare.
const ACCESSES: AuditEntry[] = [
  { action: 'view', route: 'GET /members', patientIds: [2, 1, 3] },
  { action: 'export', route: 'POST /members.csv', patientIds: [3, 2, 1] },
  { action: 'edit', route: 'POST /confirmations', patientIds: [2] },
  { action: 'view', route: 'POST /candidates/search', patientIds: [1] },
  { action: 'edit', route: 'POST /member-changes/1/undo', patientIds: [1, 3] },
  { action: 'submit', route: 'scheduler', requestId: 'submission-1', disclosed: { count: 2, ulis: JSON.stringify([ANN, JAN]) } },
  { action: 'view', route: 'GET /inbox' },
];
const foundIds = async (db: Db, uli: string) => (await searchAudit(db, { uli, page: 1 })).rows.map((r) => r.id).reverse();
const reported = async (db: Db, uli: string) => (await patientAccessReport(db, uli)).accesses.map((a) => a.id);
const mark = async (db: Db) => Number((await db.execute('SELECT audit_id FROM audit_uli_lookup_through')).rows[0].audit_id);
const lookupRows = async (db: Db) => (await db.execute('SELECT uli, audit_id FROM audit_uli_lookup ORDER BY audit_id, uli')).rows.map((r) => `${r.audit_id} ${r.uli}`);

lookup('every kind of access is found by ULI, in the audit page and the access report, before, while and after the lookup takes it in', async () => {
  const db = await withPatients(await freshDb());
  const expected = { [JAN]: [1, 2, 4, 5, 6], [ANN]: [1, 2, 3, 6], [LEE]: [1, 2, 5] };
  const check = async (when: string, written: number) => {
    for (const [uli, all] of Object.entries(expected)) {
      const ids = all.filter((id) => id <= written);
      assert.equal(await foundIds(db, uli), ids, `audit page, ${uli}, ${when}`);
      assert.equal(await reported(db, uli), ids, `access report, ${uli}, ${when}`);
    }
  };
  await write(db, ACCESSES.slice(0, 3));
  await check('none taken in', 3);
  assert.is(await extendUliLookup(db, 2), 3);
  assert.is(await mark(db), 3);
  await write(db, ACCESSES.slice(3));
  await check('the first three taken in, the rest after the mark', 7);
  assert.is(await extendUliLookup(db, 2), 4);
  assert.is(await mark(db), 7);
  await check('all taken in', 7);
  assert.equal(await lookupRows(db), [`1 ${JAN}`, `1 ${ANN}`, `1 ${LEE}`, `2 ${JAN}`, `2 ${ANN}`, `2 ${LEE}`, `3 ${ANN}`, `4 ${JAN}`, `5 ${JAN}`, `5 ${LEE}`]);
  assert.is(await extendUliLookup(db), 0, 'nothing left to take in');
  db.close();
});

lookup('a patient deleted, or given another ULI, after the access is still found by the ULI the trail recorded', async () => {
  const db = await withPatients(await freshDb());
  await write(db, [{ action: 'view', route: 'GET /members', patientIds: [1, 2] }]);
  await db.execute(`UPDATE patients SET uli = '100000009' WHERE id = 1`);
  await db.execute('DELETE FROM patients WHERE id = 2');
  for (const when of ['after the mark', 'taken in']) {
    assert.equal(await foundIds(db, JAN), [1], when);
    assert.equal(await reported(db, ANN), [1], when);
    assert.is((await patientAccessReport(db, ANN)).patient, null, 'no patient has the ULI now');
    assert.equal(await foundIds(db, '100000009'), [], `the new ULI was not the one seen, ${when}`);
    await extendUliLookup(db);
  }
  db.close();
});

lookup('the lookup can be neither changed nor emptied, and its mark only moves forward', async () => {
  const db = await withPatients(await freshDb());
  await write(db, [{ action: 'view', route: 'GET /members', patientIds: [1] }]);
  await extendUliLookup(db);
  for (const sql of [
    'DELETE FROM audit_uli_lookup', `UPDATE audit_uli_lookup SET uli = '${ANN}'`,
    'UPDATE audit_uli_lookup_through SET audit_id = 0', 'DELETE FROM audit_uli_lookup_through',
  ]) {
    try {
      await db.execute(sql);
      assert.unreachable(sql);
    } catch (error) {
      assert.match(String(error), /append-only|only moves forward/, sql);
    }
  }
  assert.equal(await foundIds(db, JAN), [1]);
  db.close();
});

for (const store of ['file', 'sqld'] as const) {
  lookup(`two portals extending the lookup at once on ${store === 'file' ? 'one file' : 'one sqld'} take every entry in once`, async () => {
    const sqld = store === 'sqld' ? await startSqld() : null;
    const url = sqld?.url ?? `file:${tempDir('cpar-lookup-')}/two.db`;
    try {
      const db = await openDatabase(url);
      await migrate(db);
      await withPatients(db);
      await write(db, Array.from({ length: 60 }, (_, i) => ({ action: 'view' as const, route: `GET /page/${i}`, patientIds: [1 + (i % 3), 1 + ((i + 1) % 3)] })));
      const other = await openDatabase(url);
      const taken = await Promise.all([extendUliLookup(db, 7), extendUliLookup(other, 5)]);
      assert.is(taken[0] + taken[1], 60);
      assert.is(await mark(db), 60);
      assert.is((await lookupRows(db)).length, 120);
      assert.equal(await foundIds(db, JAN), Array.from({ length: 60 }, (_, i) => i + 1).filter((id) => (id - 1) % 3 !== 1));
      other.close();
      db.close();
    } finally {
      await sqld?.stop();
    }
  });
}

lookup('entries written before the lookup existed are taken in by its migration, and still verify', async () => {
  const db = await openDatabase(`file:${tempDir('cpar-lookup-')}/old.db`);
  await migrate(db, readMigrations().filter((m) => m.version < 29));
  await withPatients(db);
  await write(db, ACCESSES.slice(0, 3));
  await migrate(db);
  assert.is(await mark(db), 3);
  assert.equal(await lookupRows(db), [`1 ${JAN}`, `1 ${ANN}`, `1 ${LEE}`, `2 ${JAN}`, `2 ${ANN}`, `2 ${LEE}`, `3 ${ANN}`]);
  await write(db, ACCESSES.slice(3, 4));
  assert.equal(await foundIds(db, JAN), [1, 2, 4]);
  assert.equal(await verifyChain(db).then((c) => c.ok && c.entries), 4);
  db.close();
});

lookup.run();
