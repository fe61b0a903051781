import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { registryNoticeStatement, registryNoticesStatement } from '../../../src/domain/registry/registry-notice.ts';
import { addSubmission, addUser, count, freshDb } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

test('one inbox message per submission that brings new mismatches or conflicts: counts and no name', async () => {
  const db = await freshDb();
  const recipient = await addUser(db, 'physician');
  const { panelId, patientIds } = await addClinicPanel(db, { name: `Dr. Long ${'x'.repeat(100)}`, number: 'PNL-7', patients: 4, recipient });
  const add = async (createdAt: string, items: [number, 'mismatch' | 'conflict', number | null][]) => {
    const id = await addSubmission(db, panelId, { status: 'Submitted', createdAt, patientCount: 4 });
    await db.execute({ sql: 'UPDATE submissions SET registry_counted = 3 WHERE id = ?', args: [id] });
    for (const [patient, kind, since] of items) {
      await db.execute({ sql: `INSERT INTO registry_exceptions (submission_id, panel_id, uli, kind, detail, open_since_submission_id)
                               VALUES (?, ?, (SELECT uli FROM patients WHERE id = ?), ?, '{}', ?)`, args: [id, panelId, patient, kind, since ?? id] });
    }
    return id;
  };
  const first = await add('2026-10-15T21:00:00-06:00', [[patientIds[0], 'mismatch', null], [patientIds[1], 'conflict', null], [patientIds[2], 'conflict', null]]);
  const notice = registryNoticeStatement(first, new Date('2026-10-16T09:00:00-06:00'));
  await db.execute(notice);
  await db.execute(notice); // a crash and a second storing of the same answer: still one
  const message = (await db.execute("SELECT subject, body, kind, recipient_id FROM inbox_messages")).rows;
  assert.is(message.length, 1);
  assert.is(message[0].kind, 'registry');
  assert.is(Number(message[0].recipient_id), recipient);
  assert.is(message[0].subject, `CPAR registry feedback: 3 new for Dr. Long ${'x'.repeat(71)}…`);
  assert.match(String(message[0].body), '(PNL-7): it counted 3 of 4 patients.');
  assert.match(String(message[0].body), 'New since the last submission: 1 demographic mismatch and 2 conflicts.');
  const uli = String((await db.execute({ sql: 'SELECT uli, last_name FROM patients WHERE id = ?', args: [patientIds[0]] })).rows[0].uli);
  assert.not.match(String(message[0].body), uli);
  assert.not.match(String(message[0].body), 'Testperson');
  // The next month brings nothing new (the same conflict, open since October): no message.
  const second = await add('2026-11-15T21:00:00-07:00', [[patientIds[1], 'conflict', first]]);
  await db.execute(registryNoticeStatement(second, new Date()));
  assert.is(await count(db, 'SELECT count(*) FROM inbox_messages'), 1);
  // A panel without a failure recipient tells no one.
  await db.execute({ sql: 'UPDATE panels SET failure_recipient_id = NULL WHERE id = ?', args: [panelId] });
  const third = await add('2026-12-15T21:00:00-07:00', [[patientIds[3], 'mismatch', null]]);
  await db.execute(registryNoticeStatement(third, new Date()));
  assert.is(await count(db, 'SELECT count(*) FROM inbox_messages'), 1);
});

test('a poll\'s confirmations in one statement: a message for each submission with something new, once', async () => {
  const db = await freshDb();
  const recipient = await addUser(db, 'physician');
  const panels = [];
  for (const name of ['A', 'B', 'C']) panels.push(await addClinicPanel(db, { name: `Dr. ${name}`, patients: 2, recipient }));
  const ids: number[] = [];
  for (const [i, { panelId, patientIds }] of panels.entries()) {
    const id = await addSubmission(db, panelId, { status: 'Submitted', createdAt: '2026-10-15T21:00:00-06:00', patientCount: 2 });
    await db.execute({ sql: 'UPDATE submissions SET registry_counted = 1 WHERE id = ?', args: [id] });
    // A: two mismatches; B: one conflict; C: nothing
    for (const [patient, kind] of ([[[patientIds[0], 'mismatch'], [patientIds[1], 'mismatch']], [[patientIds[0], 'conflict']], []] as const)[i]) {
      await db.execute({ sql: `INSERT INTO registry_exceptions (submission_id, panel_id, uli, kind, detail, open_since_submission_id)
                               VALUES (?, ?, (SELECT uli FROM patients WHERE id = ?), ?, '{}', ?)`, args: [id, panelId, patient, kind, id] });
    }
    ids.push(id);
  }
  const notices = registryNoticesStatement(ids, new Date('2026-10-16T09:00:00-06:00'));
  await db.execute(notices);
  await db.execute(notices);
  const messages = (await db.execute('SELECT submission_id, subject FROM inbox_messages ORDER BY submission_id')).rows;
  assert.equal(messages.map((m) => [Number(m.submission_id), m.subject]), [
    [ids[0], 'CPAR registry feedback: 2 new for Dr. A'], [ids[1], 'CPAR registry feedback: 1 new for Dr. B'],
  ]);
});

test.run();
