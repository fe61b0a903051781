import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { edmontonDate } from '../../../src/domain/time/edmonton.ts';
import type { Db } from '../../../src/domain/database/db.ts';
import { tick } from '../../../src/domain/pipeline/runs.ts';
import type { PipelineDeps } from '../../../src/domain/pipeline/pipeline.ts';
import { openExceptions, registryOutcome } from '../../../src/domain/registry/registry.ts';
import { adapt } from '../../../src/netcare-connection.ts';
import { judgePanel, type RegistryConfig, type SubmittedMember } from '../../../src/netcare-sim/registry.ts';
import { setFault, startTestSimulator } from '../../netcare/support/simulator.ts';
import { freshDb, count } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

// Shares high enough that a small panel has both kinds of exception (its members were confirmed
// 2026-06-01: the other attachments confirmed since, within the year before each run, are
// reported as conflicts; a patient can be on both lists).
const REGISTRY: RegistryConfig = { seed: 11, mismatchShare: 0.25, conflictShare: 0.8 };
const MARCH = '2027-03-15T21:00:00-06:00';
const APRIL = '2027-04-15T21:00:00-06:00';
const MINUTE = 60_000;

async function world() {
  const db = await freshDb();
  const clock = new ManualClock(MARCH);
  const simulator = await startTestSimulator({ clock, confirmDelayMs: 30_000, registry: REGISTRY });
  const warnings: string[] = [];
  const netcare = adapt(simulator.url, 'test simulator', 'test-installation', {
    retryBudgetMs: 1_000, timeoutMs: 500, baseDelayMs: 20, warn: (line) => warnings.push(line),
  });
  const deps: PipelineDeps = { db, clock, netcare, workerId: 'test-worker' };
  const panel = await addClinicPanel(db, { name: 'Registry', patients: 24 });
  return { db, clock, simulator, deps, panel, warnings, close: async () => { await simulator.close(); db.close(); } };
}

/** What the registry says of the panel's members as they stand, by the simulator's own derivation. */
async function expected(db: Db, panelId: number) {
  const rows = (await db.execute({
    sql: `SELECT pt.uli, pt.last_name, pt.first_name, pt.birth_date, m.confirmed_on FROM panel_members m
            JOIN patients pt ON pt.id = m.patient_id WHERE m.panel_id = ? ORDER BY pt.id`,
    args: [panelId],
  })).rows;
  const members: SubmittedMember[] = rows.map((r) => ({
    uli: String(r.uli), family: String(r.last_name), given: String(r.first_name), birthDate: String(r.birth_date),
    gender: 'female', confirmedOn: String(r.confirmed_on),
  }));
  // as of the day the panel's latest submission was taken
  const taken = (await db.execute({ sql: 'SELECT snapshot_at FROM submissions WHERE panel_id = ? ORDER BY id DESC LIMIT 1', args: [panelId] })).rows[0];
  const day = edmontonDate(new Date(Number(taken.snapshot_at)));
  const judged = judgePanel(REGISTRY, { count: members.length, day, uliNumber: (i) => Number(members[i].uli), member: (i) => members[i] });
  return { counted: judged.counted, exceptions: judged.findings.map((f) => [f.uli, f.kind]).sort() };
}

async function submissionOf(db: Db, panelId: number) {
  return (await db.execute({ sql: 'SELECT id, status, registry_counted FROM submissions WHERE panel_id = ? ORDER BY id DESC LIMIT 1', args: [panelId] })).rows[0];
}

const outcome = suite('the registry outcome, stored with the confirmation');

outcome('a confirmation stores the count and one row per exception, as the registry derives them; a month later what is still reported stays open since the first', async () => {
  const w = await world();
  try {
    await tick(w.deps);
    w.clock.advance(MINUTE);
    assert.is((await tick(w.deps)).polled.submitted, 1);
    const march = await submissionOf(w.db, w.panel.panelId);
    const want = await expected(w.db, w.panel.panelId);
    assert.ok(want.exceptions.some(([, k]) => k === 'mismatch') && want.exceptions.some(([, k]) => k === 'conflict'), JSON.stringify(want));
    const first = await registryOutcome(w.db, Number(march.id));
    assert.ok(first);
    assert.is(first!.counted, want.counted);
    assert.is(first!.patientCount, 24);
    assert.equal(first!.items.map((i) => [i.patient!.uli, i.kind]).sort(), want.exceptions);
    assert.ok(first!.items.every((i) => i.openSince.submissionId === Number(march.id)));

    // The clinic corrects one mismatch to the registry's value and takes one conflicted patient off the panel.
    const mismatch = first!.items.find((i) => i.kind === 'mismatch')!;
    const conflicts = first!.items.filter((i) => i.kind === 'conflict');
    assert.ok(mismatch && conflicts.length >= 2, 'a mismatch and two conflicts to work');
    if (mismatch.kind !== 'mismatch') return;
    const { field, registry } = mismatch.detail.fields[0];
    const column = { lastName: 'last_name', firstName: 'first_name', birthDate: 'birth_date', gender: 'gender' }[field];
    await w.db.execute({ sql: `UPDATE patients SET ${column} = ? WHERE id = ?`, args: [registry, mismatch.patient!.id] });
    await w.db.execute({ sql: 'DELETE FROM panel_members WHERE patient_id = ?', args: [conflicts[0].patient!.id] });

    w.clock.set(APRIL);
    await tick(w.deps);
    w.clock.advance(MINUTE);
    assert.is((await tick(w.deps)).polled.submitted, 1);
    const april = await openExceptions(w.db, w.panel.panelId);
    assert.ok(april && april.submissionId > Number(march.id));
    assert.equal(april!.items.map((i) => [i.patient!.uli, i.kind]).sort(), (await expected(w.db, w.panel.panelId)).exceptions);
    const reported = (kind: string, patientId: number) => april!.items.some((i) => i.kind === kind && i.patient!.id === patientId);
    assert.not.ok(reported('mismatch', mismatch.patient!.id), 'the corrected mismatch is no longer reported');
    assert.not.ok(april!.items.some((i) => i.patient!.id === conflicts[0].patient!.id), 'the removed patient is no longer reported');
    const stillOpen = april!.items.find((i) => i.patient!.id === conflicts[1].patient!.id)!;
    assert.equal(stillOpen.openSince.submissionId, Number(march.id), 'a conflict still there next month is open since March');
    assert.equal(stillOpen.openSince.createdAt.getTime() < april!.submittedAt.getTime(), true);
  } finally {
    await w.close();
  }
});

outcome('a malformed registry answer keeps the submission Pending with nothing stored; the next poll stores it once', async () => {
  const w = await world();
  try {
    await tick(w.deps);
    w.clock.advance(MINUTE);
    await setFault(w.simulator.url, { mode: 'garble', count: 1 });
    const garbled = await tick(w.deps);
    assert.equal([garbled.polled.submitted, garbled.polled.waiting], [0, 1]);
    const pending = await submissionOf(w.db, w.panel.panelId);
    assert.equal([pending.status, pending.registry_counted], ['Pending', null]);
    assert.is(await count(w.db, 'SELECT count(*) FROM registry_exceptions'), 0, 'nothing half-applied');
    assert.is(w.warnings.length, 1, 'logged once');

    w.clock.advance(MINUTE);
    assert.is((await tick(w.deps)).polled.submitted, 1);
    const want = await expected(w.db, w.panel.panelId);
    assert.is((await submissionOf(w.db, w.panel.panelId)).registry_counted, want.counted);
    assert.is(await count(w.db, 'SELECT count(*) FROM registry_exceptions'), want.exceptions.length);
    w.clock.advance(MINUTE);
    await tick(w.deps);
    assert.is(await count(w.db, 'SELECT count(*) FROM registry_exceptions'), want.exceptions.length, 'polled again: nothing doubled');
  } finally {
    await w.close();
  }
});

outcome('an outcome counting more patients than were sent is not taken: Pending, nothing stored', async () => {
  const w = await world();
  try {
    await tick(w.deps);
    w.clock.advance(MINUTE);
    // The real answer, with its count raised past the panel: as a confused Netcare might send it.
    const real = w.deps.netcare;
    const overcounted = { ...w.deps, netcare: { ...real, status: async (reference: string) => {
      const status = await real.status(reference);
      return status.kind === 'confirmed' ? { ...status, registry: { ...status.registry, counted: 25 } } : status;
    } } };
    assert.equal((await tick(overcounted)).polled.waiting, 1);
    assert.equal((await submissionOf(w.db, w.panel.panelId)).status, 'Pending');
    assert.is(await count(w.db, 'SELECT count(*) FROM registry_exceptions'), 0);
  } finally {
    await w.close();
  }
});

outcome.run();
