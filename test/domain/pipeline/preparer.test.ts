// The monthly run with its panels prepared in a thread of their own (what openPipeline does
// for a database file or server): the same outcomes as in the run's own thread, and the same
// bytes on the wire.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { openDatabase } from '../../../src/domain/database/db.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { migrate } from '../../../src/domain/database/migrate.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import { encodeCparGroup } from '../../../src/netcare/encode.ts';
import { preparingThread, sharedDatabase } from '../../../src/preparer/panels.ts';
import { startPreparer } from '../../../src/preparer/pool.ts';
import { setFault, startTestSimulator } from '../../netcare/support/simulator.ts';
import { addUser, count } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

const RUN = new Date('2027-03-15T21:00:00-06:00');
const threaded = suite('panels prepared in their own thread');

/** A migrated database file, which another thread can open too. */
async function migratedFile() {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'cpar-preparer-')), 'test.db')}`;
  const db = await openDatabase(url);
  await migrate(db);
  return { url, db };
}

threaded('a run gives the same outcomes, problems and messages as in its own thread', async () => {
  const { url, db } = await migratedFile();
  const clock = new ManualClock(RUN);
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000 });
  const netcare = adapt(simulator.url, 'test simulator', 'test-installation', { retryBudgetMs: 1000, timeoutMs: 500 });
  const thread = preparingThread(url, undefined, netcare);
  try {
    const recipient = await addUser(db, 'jsmith');
    const good = await addClinicPanel(db, { name: 'Good', patients: 40, recipient });
    const bad = await addClinicPanel(db, { name: 'Unvisited', patients: 5, withoutVisit: 3, recipient });
    const report = await tick({ db, clock, netcare, workerId: 'thread-test', prepare: thread.prepare, donePreparing: thread.release });
    assert.not.ok(thread.running(), 'the thread is let go once the tick has sent its panels, before the poll');
    assert.equal(report.runs[0].outcomes, { skipped: 0, invalid: 1, pending: 1, unanswered: 0, rejected: 0, unreachable: 0 });
    const rows = (await db.execute('SELECT panel_id, status, patient_count, brief_error FROM submissions ORDER BY panel_id')).rows;
    assert.equal(rows.map((r) => [r.panel_id, r.status, r.patient_count, r.brief_error]), [
      [good.panelId, 'Pending', 40, null],
      [bad.panelId, 'Failed', 8, '3 patients have no last visit date.'],
    ]);
    assert.is(await count(db, "SELECT count(*) FROM submission_problems WHERE reason = 'no_last_visit' AND patient_id IS NOT NULL"), 3);

    const inThread = encodeCparGroup((await extractPanel(db, good.panelId, RUN))!, 77);
    const another = startPreparer({ databaseUrl: url }, { idleMs: 30 });
    const prepared = await another.prepare(good.panelId, 77, RUN);
    assert.ok(prepared?.body && Buffer.from(prepared.body).equals(inThread), 'the thread builds the very bytes the run thread would');
    assert.equal(prepared.problems, []);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.not.ok(another.running(), 'an idle thread stops');
    const again = await another.prepare(good.panelId, 77, RUN);
    assert.ok(again?.body && Buffer.from(again.body).equals(inThread), 'and the next panel starts another');
    await another.close();
  } finally {
    await thread.close();
    await simulator.close();
    db.close();
  }
});

threaded('a message\'s buffer given back after its send carries a later message, byte for byte as written afresh', async () => {
  const { url, db } = await migratedFile();
  const preparer = startPreparer({ databaseUrl: url });
  try {
    const large = await addClinicPanel(db, { name: 'Large', patients: 60 });
    const small = await addClinicPanel(db, { name: 'Small', patients: 7 });
    const first = (await preparer.prepare(large.panelId, 1, RUN))!;
    const buffer = first.body!.buffer as ArrayBuffer;
    const size = buffer.byteLength;
    preparer.recycle(buffer);
    const second = (await preparer.prepare(small.panelId, 2, RUN))!;
    assert.is(buffer.byteLength, 0, 'the buffer went back to the thread (transferred, not copied)');
    assert.is(second.body!.buffer.byteLength, size, 'the next message was written into it');
    const afresh = encodeCparGroup((await extractPanel(db, small.panelId, RUN))!, 2);
    assert.ok(Buffer.from(second.body!).equals(afresh), 'the same bytes as a message written into a new buffer');
  } finally {
    await preparer.close();
    db.close();
  }
});

threaded('only a message Netcare accepted gives its buffer back: after any other answer a write may still be under way', async () => {
  const { url, db } = await migratedFile();
  const simulator = await startTestSimulator({ clock: new ManualClock(RUN) });
  const netcare = adapt(simulator.url, 'test simulator', 'test-installation', { retryBudgetMs: 1000, timeoutMs: 500 });
  const preparer = startPreparer({ databaseUrl: url });
  const given: ArrayBuffer[] = [];
  const thread = preparingThread(url, undefined, netcare, { ...preparer, recycle: (b) => (given.push(b), preparer.recycle(b)) });
  try {
    const panel = await addClinicPanel(db, { name: 'Good', patients: 5 });
    await setFault(simulator.url, { mode: '500' });
    assert.is((await (await thread.prepare(panel.panelId, 1, RUN))!.send()).kind, 'error');
    assert.is(given.length, 0, 'a message not accepted keeps its buffer');
    await setFault(simulator.url, { mode: 'none' });
    assert.is((await (await thread.prepare(panel.panelId, 2, RUN))!.send()).kind, 'accepted');
    assert.is(given.length, 1, 'an accepted one gives it back');
  } finally {
    await thread.close();
    await simulator.close();
    db.close();
  }
});

threaded('the thread applies every rule itself: unconfirmed patients fail the panel, which gets no message', async () => {
  const { url, db } = await migratedFile();
  const preparer = startPreparer({ databaseUrl: url });
  try {
    const unconfirmed = await addClinicPanel(db, { name: 'Unconfirmed', patients: 3, withoutConfirmation: 2 });
    const unnamed = await addClinicPanel(db, { name: 'No PRAC ID', patients: 2, practitioners: [{ name: 'Dr. Nobody', practitionerId: null }] });
    const empty = await addClinicPanel(db, { name: 'Empty', patients: 0 });
    const judged = async (panelId: number) => {
      const prepared = (await preparer.prepare(panelId, 1, RUN))!;
      assert.is(prepared.body, null, 'a panel that fails the rules has no message');
      return prepared.validation.failures.map((f) => [f.reason, f.message, f.patientIds]);
    };
    assert.equal(await judged(unconfirmed.panelId), [
      ['no_confirmation_date', '2 patients have no confirmation date for this panel.', unconfirmed.patientIds.slice(3)],
    ]);
    assert.equal(await judged(unnamed.panelId), [['practitioner_without_id', 'Dr. Nobody has no Practitioner ID recorded.', []]]);
    assert.equal(await judged(empty.panelId), [['no_patients', 'The panel has no patients assigned.', []]]);
  } finally {
    await preparer.close();
    db.close();
  }
});

threaded('released while a panel is being prepared, the thread finishes it; released idle, it stops at once', async () => {
  const { url, db } = await migratedFile();
  const preparer = startPreparer({ databaseUrl: url });
  try {
    const panel = await addClinicPanel(db, { name: 'Good', patients: 3 });
    const preparing = preparer.prepare(panel.panelId, 1, RUN);
    await preparer.release();
    assert.ok(preparer.running(), 'a thread with work is not stopped');
    assert.is((await preparing)?.patientCount, 3);
    await preparer.release();
    assert.not.ok(preparer.running(), 'an idle thread is stopped at once, not after its idle minute');
    assert.is((await preparer.prepare(panel.panelId, 2, RUN))?.patientCount, 3, 'the next panel starts another');
  } finally {
    await preparer.close();
    db.close();
  }
});

threaded('a panel the thread cannot read fails that request with a message, and closing fails what waits', async () => {
  const unreachable = startPreparer({ databaseUrl: 'http://127.0.0.1:9' });
  try {
    await unreachable.prepare(1, 1, RUN).then(() => assert.unreachable('it resolved'), (error: Error) => {
      assert.match(error.message, /^preparing a panel failed: /);
    });
    const waiting = unreachable.prepare(2, 2, RUN).then(() => assert.unreachable('it resolved'), (error: Error) => error.message);
    await unreachable.close();
    assert.match(String(await waiting), /closed/);
  } finally {
    await unreachable.close();
  }
});

threaded('only a database another thread can open is prepared elsewhere', () => {
  assert.ok(sharedDatabase('file:db/cpar.db'));
  assert.ok(sharedDatabase('libsql://db.example:8080'));
  assert.not.ok(sharedDatabase(':memory:'));
  assert.not.ok(sharedDatabase('file::memory:'));
  assert.not.ok(sharedDatabase('file:test.db?mode=memory'));
});

threaded.run();
