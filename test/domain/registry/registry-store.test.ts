import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import type { RegistryException } from '../../../src/domain/submissions/netcare.ts';
import { confirmationStatements, outcomeFits } from '../../../src/domain/registry/registry-store.ts';
import { openExceptions } from '../../../src/domain/registry/registry.ts';
import { addPanel, addSubmission, count, freshDb } from '../../support/app.ts';

// "Open since": the first of the unbroken run of the panel's outcomes that reported the same
// exception — for a conflict, with the same other provider.
const store = suite('storing the registry outcome');
let db: Db;
let panelId: number;
let month = 0;
const ULI = '123456782';
store.before.each(async () => {
  db = await freshDb();
  panelId = await addPanel(db, 'Registry');
  await db.execute({ sql: "INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES (?, 'Okafor', 'Adaeze', '1984-02-29', 'F')", args: [ULI] });
  month = 0;
});
store.after.each(() => db.close());

const conflict = (provider: string): RegistryException => ({ member: 0, uli: ULI, kind: 'conflict', provider, clinic: 'Bow Valley Primary Care', confirmedOn: '2026-01-05' });
const mismatch: RegistryException = { member: 0, uli: ULI, kind: 'mismatch', fields: [{ field: 'lastName', clinic: 'Okafor', registry: 'Okaforr' }] };

/** A submission of the next month confirmed with these exceptions (none: confirmed before the registry answered). */
async function confirm(exceptions: RegistryException[] | null, status: 'Pending' | 'Failed' = 'Pending', panel = panelId): Promise<number> {
  const id = await addSubmission(db, panel, { status, createdAt: `2027-${String(++month).padStart(2, '0')}-15T21:00:00-07:00`, patientCount: 1 });
  if (status === 'Pending') {
    const statements = confirmationStatements(Date.now(), exceptions ? [{ submissionId: id, registry: { counted: 1, exceptions } }] : []);
    if (exceptions) await db.batch(statements, 'write');
    else await db.execute({ sql: "UPDATE submissions SET status = 'Submitted', submitted_at = pending_at WHERE id = ?", args: [id] });
  }
  return id;
}

async function openSince(): Promise<number[]> {
  return (await openExceptions(db, panelId))?.items.map((i) => i.openSince.submissionId) ?? [];
}

store('an exception reported again is open since the first report, across a failed submission, one without an outcome, and another panel\'s between', async () => {
  const first = await confirm([conflict('Dr. Amara Singh'), mismatch]);
  await confirm([], 'Pending', await addPanel(db, 'Another'));
  await confirm(null, 'Failed');
  await confirm(null);
  await confirm([conflict('Dr. Amara Singh'), mismatch]);
  assert.equal(await openSince(), [first, first]);
});

store('a month without it, or a conflict with another provider, starts a new run', async () => {
  await confirm([conflict('Dr. Amara Singh'), mismatch]);
  await confirm([]);
  const third = await confirm([conflict('Dr. Amara Singh'), mismatch]);
  const fourth = await confirm([conflict('Dr. Luc Tremblay'), mismatch]);
  const items = (await openExceptions(db, panelId))!.items;
  assert.equal(items.map((i) => [i.kind, i.openSince.submissionId]), [['mismatch', third], ['conflict', fourth]]);
});

store('confirmations committed together: each submission gets its own count; one no longer Pending keeps its own', async () => {
  const at = (m: number) => `2027-0${m}-15T21:00:00-07:00`;
  const ids = [
    await addSubmission(db, panelId, { status: 'Pending', createdAt: at(1), patientCount: 900 }),
    await addSubmission(db, await addPanel(db, 'Second'), { status: 'Pending', createdAt: at(1), patientCount: 900 }),
    await addSubmission(db, await addPanel(db, 'Third'), { status: 'Failed', createdAt: at(1), patientCount: 900 }),
    await addSubmission(db, await addPanel(db, 'Fourth'), { status: 'Pending', createdAt: at(1), patientCount: 900 }),
  ];
  const counted = [812, 5, 77, 0];
  await db.batch(confirmationStatements(Date.now(), ids.map((submissionId, i) => ({ submissionId, registry: { counted: counted[i], exceptions: [] } }))), 'write');
  const rows = (await db.execute({ sql: 'SELECT status, registry_counted FROM submissions WHERE id IN (?, ?, ?, ?) ORDER BY id', args: ids })).rows;
  assert.equal(rows.map((r) => [r.status, r.registry_counted]), [['Submitted', 812], ['Submitted', 5], ['Failed', null], ['Submitted', 0]]);
});

store('a submission no longer Pending gets nothing: a second poll confirming it too stores nothing twice', async () => {
  const id = await addSubmission(db, panelId, { status: 'Pending', createdAt: '2027-01-15T21:00:00-07:00', patientCount: 1 });
  const statements = confirmationStatements(Date.now(), [{ submissionId: id, registry: { counted: 0, exceptions: [mismatch] } }]);
  await db.batch(statements, 'write');
  await db.batch(statements, 'write');
  assert.is(await count(db, 'SELECT count(*) FROM registry_exceptions'), 1);
  assert.is(await count(db, 'SELECT registry_counted FROM submissions WHERE id = ?', [id]), 0);
});

store('an outcome that cannot be the panel\'s is not taken', () => {
  assert.ok(outcomeFits({ counted: 3, exceptions: [{ ...mismatch, member: 2 }] }, 3));
  assert.not.ok(outcomeFits({ counted: 4, exceptions: [] }, 3), 'more counted than sent');
  assert.not.ok(outcomeFits({ counted: 2, exceptions: [{ ...mismatch, member: 3 }] }, 3), 'a member past the last');
});

store.run();
