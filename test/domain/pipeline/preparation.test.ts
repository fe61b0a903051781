// The monthly run with its panels written from the members' columns (what openPipeline does):
// the same outcomes as from a snapshot, and the same bytes on the wire; a file read through the
// native driver, a server through the client.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { openDatabase, type Db } from '../../../src/domain/database/db.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { migrate } from '../../../src/domain/database/migrate.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import { adapt, type AdaptedNetcare } from '../../../src/netcare-connection.ts';
import { encodeCparGroup } from '../../../src/netcare/encode.ts';
import { panelPreparation } from '../../../src/preparer/panels.ts';
import { setFault, startTestSimulator } from '../../netcare/support/simulator.ts';
import { addUser, count } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

const RUN = new Date('2027-03-15T21:00:00-06:00');
const preparation = suite('panels written from their members\' columns');

/** A migrated database file. */
async function migratedFile() {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'cpar-preparation-')), 'test.db')}`;
  const db = await openDatabase(url);
  await migrate(db);
  return { url, db };
}

/** A Netcare port that records the message bodies it is given and answers as `answer` says. */
function recording(answer: () => 'accepted' | 'error'): AdaptedNetcare & { bodies: Buffer[] } {
  const bodies: Buffer[] = [];
  const refuse = () => Promise.reject(new Error('not used'));
  return {
    label: 'recording', url: 'http://recording', bodies, send: refuse, status: refuse, lookup: refuse,
    async sendMessage(message) {
      bodies.push(Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength));
      return answer() === 'accepted' ? { kind: 'accepted', reference: `ref-${bodies.length}` } : { kind: 'error', status: 500, detail: 'refused (test)' };
    },
  };
}

preparation('a run gives the same outcomes, problems and messages as from a snapshot', async () => {
  const { url, db } = await migratedFile();
  const clock = new ManualClock(RUN);
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000 });
  const netcare = adapt(simulator.url, 'test simulator', 'test-installation', { retryBudgetMs: 1000, timeoutMs: 500 });
  const prepared = panelPreparation(db, url, netcare);
  try {
    const recipient = await addUser(db, 'jsmith');
    const good = await addClinicPanel(db, { name: 'Good', patients: 40, recipient });
    const bad = await addClinicPanel(db, { name: 'Unvisited', patients: 5, withoutVisit: 3, recipient });
    const report = await tick({ db, clock, netcare, workerId: 'preparation-test', prepare: prepared.prepare, donePreparing: prepared.release });
    assert.not.ok(prepared.open(), 'the reading connection is let go once the tick has sent its panels, before the poll');
    assert.equal(report.runs[0].outcomes, { skipped: 0, invalid: 1, pending: 1, unanswered: 0, rejected: 0, unreachable: 0 });
    const rows = (await db.execute('SELECT panel_id, status, patient_count, brief_error FROM submissions ORDER BY panel_id')).rows;
    assert.equal(rows.map((r) => [r.panel_id, r.status, r.patient_count, r.brief_error]), [
      [good.panelId, 'Pending', 40, null],
      [bad.panelId, 'Failed', 8, '3 patients have no last visit date.'],
    ]);
    assert.is(await count(db, "SELECT count(*) FROM submission_problems WHERE reason = 'no_last_visit' AND patient_id IS NOT NULL"), 3);

    const fromSnapshot = encodeCparGroup((await extractPanel(db, good.panelId, RUN))!, 77);
    const port = recording(() => 'accepted');
    const again = panelPreparation(db, url, port);
    assert.equal((await (await again.prepare(good.panelId, 77, RUN))!.send()).kind, 'accepted');
    assert.ok(port.bodies[0].equals(fromSnapshot), 'the very bytes a snapshot would give');
    await again.release();
    assert.not.ok(again.open());
    await (await again.prepare(good.panelId, 77, RUN))!.send();
    assert.ok(port.bodies[1].equals(fromSnapshot), 'and once released, the next panel opens it again');
    await again.release();
  } finally {
    await prepared.release();
    await simulator.close();
    db.close();
  }
});

preparation('an accepted message\'s buffer carries a later message, byte for byte as written afresh; any other answer keeps it', async () => {
  const { url, db } = await migratedFile();
  let answer: 'accepted' | 'error' = 'error';
  const port = recording(() => answer);
  const prepared = panelPreparation(db, url, port);
  try {
    const large = await addClinicPanel(db, { name: 'Large', patients: 60 });
    const small = await addClinicPanel(db, { name: 'Small', patients: 7 });
    const sendOf = async (panelId: number, submissionId: number) => (await (await prepared.prepare(panelId, submissionId, RUN))!.send()).kind;
    assert.is(await sendOf(large.panelId, 1), 'error');
    assert.is(await sendOf(small.panelId, 2), 'error');
    assert.is.not(port.bodies[1].buffer, port.bodies[0].buffer, 'a message not accepted keeps its buffer: a write may still be under way');
    answer = 'accepted';
    assert.is(await sendOf(large.panelId, 3), 'accepted');
    assert.is(await sendOf(small.panelId, 4), 'accepted');
    assert.is(port.bodies[3].buffer, port.bodies[2].buffer, 'the next message was written into the accepted one\'s buffer');
    const afresh = encodeCparGroup((await extractPanel(db, small.panelId, RUN))!, 4);
    assert.ok(port.bodies[3].equals(afresh), 'the same bytes as a message written into a new buffer');
  } finally {
    await prepared.release();
    db.close();
  }
});

preparation('every rule is applied: unconfirmed patients fail the panel, which gets no message', async () => {
  const { url, db } = await migratedFile();
  const port = recording(() => 'accepted');
  const prepared = panelPreparation(db, url, port);
  try {
    const unconfirmed = await addClinicPanel(db, { name: 'Unconfirmed', patients: 3, withoutConfirmation: 2 });
    const unnamed = await addClinicPanel(db, { name: 'No PRAC ID', patients: 2, practitioners: [{ name: 'Dr. Nobody', practitionerId: null }] });
    const empty = await addClinicPanel(db, { name: 'Empty', patients: 0 });
    const judged = async (panelId: number) => {
      const panel = (await prepared.prepare(panelId, 1, RUN))!;
      await panel.send().then(() => assert.unreachable('it was sent'), (error: Error) => assert.match(error.message, /no message/));
      return panel.validation.failures.map((f) => [f.reason, f.message, f.patientIds]);
    };
    assert.equal(await judged(unconfirmed.panelId), [
      ['no_confirmation_date', '2 patients have no confirmation date for this panel.', unconfirmed.patientIds.slice(3)],
    ]);
    assert.equal(await judged(unnamed.panelId), [['practitioner_without_id', 'Dr. Nobody has no Practitioner ID recorded.', []]]);
    assert.equal(await judged(empty.panelId), [['no_patients', 'The panel has no patients assigned.', []]]);
    assert.is(port.bodies.length, 0, 'nothing reached Netcare');
    assert.is(await prepared.prepare(9_999, 1, RUN), null, 'a panel that does not exist');
  } finally {
    await prepared.release();
    db.close();
  }
});

preparation('a database in memory or on a server is read through the client, with the same message', async () => {
  const db: Db = await openDatabase(':memory:');
  await migrate(db);
  const port = recording(() => 'accepted');
  const prepared = panelPreparation(db, ':memory:', port);
  try {
    const panel = await addClinicPanel(db, { name: 'Good', patients: 12 });
    await (await prepared.prepare(panel.panelId, 5, RUN))!.send();
    assert.ok(port.bodies[0].equals(encodeCparGroup((await extractPanel(db, panel.panelId, RUN))!, 5)));
  } finally {
    await prepared.release();
    db.close();
  }
});

preparation('a fault in the simulator reaches the run as the adapter\'s outcome', async () => {
  const { url, db } = await migratedFile();
  const simulator = await startTestSimulator({ clock: new ManualClock(RUN) });
  const netcare = adapt(simulator.url, 'test simulator', 'test-installation', { retryBudgetMs: 1000, timeoutMs: 500 });
  const prepared = panelPreparation(db, url, netcare);
  try {
    const panel = await addClinicPanel(db, { name: 'Good', patients: 5 });
    await setFault(simulator.url, { mode: '500' });
    assert.is((await (await prepared.prepare(panel.panelId, 1, RUN))!.send()).kind, 'error');
    await setFault(simulator.url, { mode: 'none' });
    assert.is((await (await prepared.prepare(panel.panelId, 2, RUN))!.send()).kind, 'accepted');
  } finally {
    await prepared.release();
    await simulator.close();
    db.close();
  }
});

preparation.run();
