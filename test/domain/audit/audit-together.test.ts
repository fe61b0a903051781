// Issue 16: the entries of requests answered at the same moment are written in one batch.
// Each must still be there, in the order the requests came, chained and with its patients;
// and when the write fails, every caller of that moment hears of it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { recordAudit } from '../../../src/domain/audit/audit.ts';
import { verifyChain } from '../../../src/domain/audit/audit-chain.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { freshDb } from '../../support/app.ts';

const together = suite('audit entries written together');
const clock = new ManualClock('2026-11-10T09:00:00-07:00');
const scope = { userId: 1, username: 'clerk', fullName: 'Clerk', permissions: new Set(['cii_cpar_settings'] as const) };

together('forty views at once: forty entries in call order, each chained and naming its patients', async () => {
  const db = await freshDb();
  await db.execute(`INSERT INTO patients (id, uli, last_name, first_name, birth_date, gender)
    VALUES (1, '100000001', 'Doe', 'Jan', '1980-01-01', 'F'), (2, '100000002', 'Roe', 'Ann', '1981-02-02', 'M')`);
  await Promise.all(Array.from({ length: 40 }, (_, i) =>
    recordAudit(db, clock, scope, { action: 'view', route: `GET /page/${i}`, objectType: 'panel_members', objectId: i, patientIds: i % 2 ? [2, 1] : [1] })));
  const rows = (await db.execute('SELECT a.route, (SELECT group_concat(uli) FROM (SELECT uli FROM audit_patients WHERE audit_id = a.id ORDER BY position)) AS ulis FROM audit_log a ORDER BY a.id')).rows;
  assert.equal(rows.map((r) => r.route), Array.from({ length: 40 }, (_, i) => `GET /page/${i}`));
  assert.equal(rows.map((r) => r.ulis), Array.from({ length: 40 }, (_, i) => (i % 2 ? '100000002,100000001' : '100000001')));
  const check = await verifyChain(db);
  assert.ok(check.ok && check.entries === 40, JSON.stringify(check));
  // The next moment's entries go on the same chain.
  await recordAudit(db, clock, scope, { action: 'view', route: 'GET /later' });
  assert.equal(await verifyChain(db).then((c) => c.ok && c.entries), 41);
  db.close();
});

together('when the write fails, every entry of that moment is refused to its caller', async () => {
  const db = await freshDb();
  db.close();
  const results = await Promise.allSettled([1, 2, 3].map((i) => recordAudit(db, clock, scope, { action: 'view', route: `GET /page/${i}` })));
  assert.equal(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
});

together.run();
