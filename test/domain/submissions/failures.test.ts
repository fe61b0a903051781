import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { failSubmission } from '../../../src/domain/submissions/failures.ts';
import { failureMessage } from '../../../src/domain/inbox/failure-message.ts';
import { freshDb, addUser, addPanel, addSubmission, count } from '../../support/app.ts';

const clock = new ManualClock('2027-03-15T21:05:00-06:00');
const failing = suite('failing a submission');

failing('a submission that has moved on is not failed: it stays Submitted, with no problems and no message', async () => {
  const db = await freshDb();
  const recipient = await addUser(db, 'jsmith');
  const panelId = await addPanel(db, 'Moved on', { recipient });
  const id = await addSubmission(db, panelId, { status: 'Submitted', createdAt: '2027-03-15T21:00:00-06:00', patientCount: 4 });
  const failed = await failSubmission(db, clock, id, { status: 'Pending' }, {
    briefError: 'No confirmation from Netcare within 24 hours.',
    problems: [{ reason: 'netcare_unconfirmed', patientId: null, detail: null }],
  });
  assert.is(failed, false);
  assert.is(await count(db, 'SELECT status = ? FROM submissions WHERE id = ?', ['Submitted', id]), 1);
  assert.is(await count(db, 'SELECT count(*) FROM submission_problems WHERE submission_id = ?', [id]), 0);
  assert.is(await count(db, 'SELECT count(*) FROM inbox_messages'), 0);
});

failing('a Queued submission another worker holds is not failed by this one', async () => {
  const db = await freshDb();
  const panelId = await addPanel(db, 'Held elsewhere');
  const id = await addSubmission(db, panelId, { status: 'Queued', createdAt: '2027-03-15T21:00:00-06:00' });
  await db.execute({ sql: "UPDATE submissions SET claimed_by = 'other-worker', claimed_until = ? WHERE id = ?", args: [Date.now() + 60_000, id] });
  const failed = await failSubmission(db, clock, id, { status: 'Queued', claimedBy: 'this-worker' }, {
    briefError: 'The panel has no patients assigned.', problems: [{ reason: 'no_patients', patientId: null, detail: null }],
  });
  assert.is(failed, false);
  assert.is(await count(db, "SELECT count(*) FROM submissions WHERE id = ? AND status = 'Queued'", [id]), 1);
  assert.is(await count(db, 'SELECT count(*) FROM submission_problems'), 0);
});

failing('a patient failing two rules is one patient to fix, not two', async () => {
  const db = await freshDb();
  const recipient = await addUser(db, 'jsmith');
  const panelId = await addPanel(db, 'Two rules', { recipient });
  const id = await addSubmission(db, panelId, { status: 'Queued', createdAt: '2027-03-15T21:00:00-06:00' });
  await db.execute({ sql: "UPDATE submissions SET claimed_by = 'w' WHERE id = ?", args: [id] });
  const patients = [];
  for (const uli of ['300000001', '300000002']) {
    const r = await db.execute({ sql: "INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES (?, 'Doe', 'Jan', '1980-01-01', 'F') RETURNING id", args: [uli] });
    patients.push(Number(r.rows[0].id));
  }
  const failed = await failSubmission(db, clock, id, { status: 'Queued', claimedBy: 'w' }, {
    briefError: '2 patients have no last visit date. 1 patient has no confirmation date for this panel.',
    patientCount: 2,
    problems: [
      { reason: 'no_last_visit', patientId: patients[0], detail: null },
      { reason: 'no_last_visit', patientId: patients[1], detail: null },
      { reason: 'no_confirmation_date', patientId: patients[0], detail: null },
    ],
  });
  assert.ok(failed);
  const body = String((await db.execute('SELECT body FROM inbox_messages')).rows[0].body);
  assert.match(body, 'Patients to fix: 2 of 2 in the panel.');
});

const message = suite('the failure message');
const facts = {
  panelNumber: 'PNL-0001', createdAt: new Date('2027-03-15T21:00:00-06:00'),
  briefError: '3 patients have no last visit date.', patientCount: 10, patientsToFix: 3, automaticRetry: null,
};

message('the subject names the panel, cut to 80 characters (not UTF-16 units) with an ellipsis', () => {
  const long = `${'é'.repeat(70)}${'😀'.repeat(20)}`;
  const { subject } = failureMessage({ ...facts, panelName: long });
  assert.is(subject, `CPAR submission failed: ${'é'.repeat(70)}${'😀'.repeat(10)}…`);
  const exactly = 'x'.repeat(80);
  assert.is(failureMessage({ ...facts, panelName: exactly }).subject, `CPAR submission failed: ${exactly}`);
  assert.is(failureMessage({ ...facts, panelName: `${exactly}y` }).subject, `CPAR submission failed: ${exactly}…`);
});

message('the body says which panel, what failed and how many patients, in counts only', () => {
  const { body } = failureMessage({ ...facts, panelName: 'Dr. Lee — Main St' });
  assert.match(body, 'The CPAR submission of the panel "Dr. Lee — Main St" (PNL-0001) created 2027-03-15 21:00 failed.');
  assert.match(body, 'What failed: 3 patients have no last visit date.');
  assert.match(body, 'Patients to fix: 3 of 10 in the panel.');
  assert.match(body, 'What this means: Netcare has not confirmed this update of the panel (10 patients).');
  assert.not.match(body, 'not registered');
});

failing.run();
message.run();
