import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { migrate, readMigrations } from '../../../src/domain/database/migrate.ts';
import { freshDb, addPanel, addUser, count } from '../../support/app.ts';

const schema = suite('schema');
let db: Db;
schema.before(async () => {
  db = await freshDb();
});

async function rejects(sql: string, args: (string | number | null)[] = [], pattern: RegExp = /constraint|abort|needs/i) {
  try {
    await db.execute({ sql, args });
  } catch (error) {
    assert.match(String(error), pattern);
    return;
  }
  assert.unreachable(`accepted: ${sql} ${JSON.stringify(args)}`);
}

schema('migrations apply once: a second run applies nothing', async () => {
  assert.equal(await migrate(db), []);
  assert.is(await count(db, 'SELECT count(*) FROM schema_migrations'), readMigrations().length);
});

schema('foreign keys are on and WAL is the journal mode', async () => {
  const fk = await db.execute('PRAGMA foreign_keys');
  assert.is(Number(fk.rows[0].foreign_keys), 1);
  const wal = await db.execute('PRAGMA journal_mode');
  assert.is(String(wal.rows[0].journal_mode), 'wal');
  await rejects('INSERT INTO panel_members (panel_id, patient_id) VALUES (999, 999)', [], /FOREIGN KEY/);
});

schema('foreign keys hold inside a write transaction too', async () => {
  const tx = await db.transaction('write');
  try {
    await tx.execute('INSERT INTO panel_members (panel_id, patient_id) VALUES (999, 999)');
    assert.unreachable('accepted an orphan membership');
  } catch (error) {
    assert.match(String(error), /FOREIGN KEY/);
  } finally {
    tx.close();
  }
});

schema('a submission status is one of the four statuses', async () => {
  const panel = await addPanel(db, 'Status check');
  await rejects(`INSERT INTO submissions (panel_id, status, created_at, trigger) VALUES (?, 'Sent', 0, 'scheduled')`, [panel]);
  await rejects(`INSERT INTO submissions (panel_id, status, created_at, trigger) VALUES (?, 'queued', 0, 'scheduled')`, [panel]);
  await db.execute({ sql: `INSERT INTO submissions (panel_id, status, created_at, trigger) VALUES (?, 'Queued', 0, 'scheduled')`, args: [panel] });
});

schema('a panel has at most one Queued or Pending submission', async () => {
  const panel = await addPanel(db, 'One open');
  await db.execute({ sql: `INSERT INTO submissions (panel_id, status, created_at, trigger, pending_at) VALUES (?, 'Pending', 0, 'scheduled', 0)`, args: [panel] });
  await rejects(`INSERT INTO submissions (panel_id, status, created_at, trigger) VALUES (?, 'Queued', 1, 'scheduled')`, [panel]);
  await db.execute({ sql: `INSERT INTO submissions (panel_id, status, created_at, trigger, submitted_at) VALUES (?, 'Submitted', 2, 'scheduled', 2)`, args: [panel] });
});

schema('a Failed submission carries its brief error; a manual one says who', async () => {
  const panel = await addPanel(db, 'Failed rules');
  await rejects(`INSERT INTO submissions (panel_id, status, created_at, trigger, failed_at) VALUES (?, 'Failed', 0, 'scheduled', 0)`, [panel]);
  await rejects(`INSERT INTO submissions (panel_id, status, created_at, trigger) VALUES (?, 'Queued', 0, 'manual')`, [panel]);
});

schema('a CPAR-enabled panel needs a panel number; a panel needs a name', async () => {
  await rejects(`INSERT INTO panels (name, cpar_enabled, created_at) VALUES ('No number', 1, 0)`);
  await rejects(`INSERT INTO panels (name, created_at) VALUES ('  ', 0)`);
});

schema('a panel name longer than 255 characters can be saved (the rule fails the submission)', async () => {
  await db.execute({ sql: 'INSERT INTO panels (name, created_at) VALUES (?, 0)', args: ['x'.repeat(300)] });
});

schema('a panel keeps at least one practitioner', async () => {
  const panel = await addPanel(db, 'Keeps one');
  await rejects('DELETE FROM panel_practitioners WHERE panel_id = ?', [panel], /at least one practitioner/);
  await db.execute({ sql: 'DELETE FROM panels WHERE id = ?', args: [panel] });
  assert.is(await count(db, 'SELECT count(*) FROM panel_practitioners WHERE panel_id = ?', [panel]), 0);
});

schema('patients: 9-digit ULI, real dates, known gender and status', async () => {
  const insert = `INSERT INTO patients (uli, last_name, first_name, birth_date, gender, status) VALUES (?, 'Doe', 'Jan', ?, ?, ?)`;
  await rejects(insert, ['12345678', '1980-01-31', 'F', 'active']);
  await rejects(insert, ['12345678a', '1980-01-31', 'F', 'active']);
  await rejects(insert, ['123456789', '1980-02-30', 'F', 'active']);
  await rejects(insert, ['123456789', '1980-01-31', 'Q', 'active']);
  await rejects(insert, ['123456789', '1980-01-31', 'F', 'gone']);
  await db.execute({ sql: insert, args: ['123456789', '1980-01-31', 'F', 'moved_away'] });
  await rejects(insert, ['123456789', '1981-01-31', 'M', 'active']);
});

schema('what the message check would call empty or not a date cannot be stored: whitespace names, the year 0000', async () => {
  const insert = `INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES (?, ?, ?, ?, 'F')`;
  await rejects(insert, ['223456789', '\t', 'Jan', '1980-01-31']);
  await rejects(insert, ['223456789', 'Doe', '\u00a0\u3000', '1980-01-31']);
  await rejects(insert, ['223456789', 'Doe', 'Jan', '0000-01-01']);
  const id = Number((await db.execute({ sql: `${insert} RETURNING id`, args: ['223456789', 'Doe', 'Jan', '0001-01-01'] })).rows[0].id);
  await rejects('UPDATE patients SET first_name = ? WHERE id = ?', ['\ufeff', id]);
  await rejects('UPDATE patients SET birth_date = ? WHERE id = ?', ['0000-12-31', id]);
  const panelId = await addPanel(db, 'Dated');
  await rejects("UPDATE panels SET name = '\t\n' WHERE id = ?", [panelId]);
  await rejects('INSERT INTO panel_members (panel_id, patient_id, confirmed_on) VALUES (?, ?, ?)', [panelId, id, '0000-06-01']);
  await db.execute({ sql: 'INSERT INTO panel_members (panel_id, patient_id) VALUES (?, ?)', args: [panelId, id] });
  await rejects('UPDATE panel_members SET confirmed_on = ? WHERE patient_id = ?', ['0000-06-01', id]);
  const practitioner = Number((await db.execute("INSERT INTO practitioners (name) VALUES ('Dr. Dated') RETURNING id")).rows[0].id);
  await rejects('INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, ?, ?)', [id, practitioner, '0000-02-29']);
});

schema('permissions must be known ones', async () => {
  const user = await addUser(db, 'perm-check');
  await rejects('INSERT INTO user_permissions (user_id, permission) VALUES (?, ?)', [user, 'superuser'], /FOREIGN KEY/);
});

schema('one failure message per submission and recipient', async () => {
  const user = await addUser(db, 'recipient');
  const panel = await addPanel(db, 'Messages');
  const sub = await db.execute({ sql: `INSERT INTO submissions (panel_id, status, created_at, trigger, brief_error, failed_at) VALUES (?, 'Failed', 0, 'scheduled', 'x', 0) RETURNING id`, args: [panel] });
  const insert = `INSERT INTO inbox_messages (recipient_id, subject, body, created_at, submission_id) VALUES (?, 's', 'b', 0, ?)`;
  await db.execute({ sql: insert, args: [user, Number(sub.rows[0].id)] });
  await rejects(insert, [user, Number(sub.rows[0].id)]);
});

schema.run();
