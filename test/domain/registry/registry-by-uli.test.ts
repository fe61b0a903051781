// Issue 16: an exception keeps the ULI the registry named (db/migrations/036); the pages find its
// patient by that ULI. Exceptions stored before keep their patient (through its ULI) and the
// clinic's actions keep their links to them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase, type Db } from '../../../src/domain/database/db.ts';
import { migrate, readMigrations } from '../../../src/domain/database/migrate.ts';
import { registryOutcome } from '../../../src/domain/registry/registry.ts';
import { startSqld, tempDir } from '../../support/processes.ts';

const byUli = suite('registry exceptions kept by ULI');
const [ANN, BEN, CY] = ['100000001', '100000002', '100000003'];

/** A panel, three patients, one Submitted submission with three exceptions and an action on the first. */
async function before36(db: Db) {
  await migrate(db, readMigrations().filter((m) => m.version < 36));
  await db.executeMultiple(`
    INSERT INTO users (id, username, full_name, password_hash, created_at) VALUES (1, 'clerk', 'Clerk', 'x', 0);
    INSERT INTO panels (id, panel_number, name, created_at) VALUES (1, 'P-1', 'Panel', 0);
    INSERT INTO patients (id, uli, last_name, first_name, birth_date, gender) VALUES
      (1, '${ANN}', 'Ames', 'Ann', '1980-01-01', 'F'), (2, '${BEN}', 'Bell', 'Ben', '1981-02-02', 'M'), (3, '${CY}', 'Cole', 'Cy', '1982-03-03', 'X');
    INSERT INTO submissions (id, panel_id, status, trigger, created_at, submitted_at, patient_count, registry_counted)
      VALUES (1, 1, 'Submitted', 'scheduled', 1000, 2000, 3, 0);
    INSERT INTO registry_exceptions (id, submission_id, panel_id, patient_id, kind, detail, open_since_submission_id) VALUES
      (11, 1, 1, 1, 'mismatch', '{"fields":[{"field":"gender","clinic":"F","registry":"X"}]}', 1),
      (12, 1, 1, 2, 'conflict', '{"provider":"Dr. Away","clinic":"Away Clinic","confirmedOn":"2025-02-02"}', 1),
      (13, 1, 1, 3, 'conflict', '{"provider":"Dr. Far","clinic":"Far Clinic","confirmedOn":"2025-03-03"}', 1);
    INSERT INTO registry_actions (id, panel_id, patient_id, kind, exception_id, action, user_id, at)
      VALUES (7, 1, 1, 'mismatch', 11, 'contacted', 1, 3000);
    DELETE FROM patients WHERE id = 3;`);
}

for (const store of ['file', 'sqld'] as const) {
  byUli(`the migration keeps every exception with its patient's ULI and every action's link (${store})`, async () => {
    const sqld = store === 'sqld' ? await startSqld() : null;
    const db = await openDatabase(sqld?.url ?? `file:${tempDir('cpar-by-uli-')}/old.db`);
    try {
      await before36(db);
      await migrate(db);
      const rows = (await db.execute('SELECT id, uli, kind FROM registry_exceptions ORDER BY id')).rows.map((r) => `${r.id} ${r.uli} ${r.kind}`);
      assert.equal(rows, [`11 ${ANN} mismatch`, `12 ${BEN} conflict`, '13 null conflict']);
      assert.is(Number((await db.execute('SELECT exception_id FROM registry_actions WHERE id = 7')).rows[0].exception_id), 11);
      const outcome = await registryOutcome(db, 1);
      assert.equal(outcome?.items.map((i) => [i.id, i.patient?.lastName ?? null, i.uli]), [[11, 'Ames', ANN], [13, null, null], [12, 'Bell', BEN]]);
      assert.is((await db.execute('PRAGMA foreign_key_check')).rows.length, 0);
    } finally {
      db.close();
      await sqld?.stop();
    }
  });
}

byUli('a page finds the patient who has the ULI now, and says so when no one has it', async () => {
  const db = await openDatabase(`file:${tempDir('cpar-by-uli-')}/now.db`);
  try {
    await before36(db);
    await migrate(db);
    await db.execute(`INSERT INTO patients (id, uli, last_name, first_name, birth_date, gender) VALUES (4, '${CY}', 'Cole', 'Cy', '1982-03-03', 'X')`);
    await db.execute(`UPDATE patients SET uli = '100000009' WHERE id = 2`);
    const items = (await registryOutcome(db, 1))?.items.map((i) => [i.id, i.patient?.id ?? null, i.uli]);
    assert.equal(items, [[11, 1, ANN], [12, null, BEN], [13, null, null]]); // no name: by id
  } finally {
    db.close();
  }
});

byUli.run();
