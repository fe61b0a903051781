import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { edmontonDate } from '../../../src/domain/time/edmonton.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { readinessOfCparPanels } from '../../../src/domain/panels/readiness.ts';
import { CARRY_DAYS } from '../../../src/domain/panels/readiness-carry.ts';
import { panelWarnings } from '../../../src/domain/panels/readiness-warnings.ts';
import { judgementOf, validatePanel } from '../../../src/domain/panels/validation.ts';
import { freshDb } from '../../support/app.ts';
import { addClinicPanel } from '../../support/clinic.ts';

const carry = suite('readiness carried from day to day');

/** A small generator that repeats: the same clinic every run. */
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

// Edmonton days walked through, as instants at the very start or the very end of the day
// (MST: these dates are all before the switch to daylight time). Gaps of one day, of three,
// of more than the carry reaches, and across 29 February with one-year limits.
const DAYS: [string, 'start' | 'end'][] = [
  ['2026-11-20', 'end'], ['2026-11-21', 'start'], ['2026-11-22', 'end'], ['2026-11-25', 'start'], ['2026-11-26', 'start'],
  ['2026-11-27', 'end'], ['2027-01-15', 'start'], ['2027-01-16', 'end'],
  ['2028-02-27', 'end'], ['2028-02-28', 'start'], ['2028-02-29', 'end'], ['2028-03-01', 'start'], ['2028-03-02', 'end'],
];
const instant = ([day, when]: [string, 'start' | 'end']) => new Date(`${day}T${when === 'start' ? '00:00:00.000' : '23:59:59.999'}-07:00`);

/** Dates at every edge the walk crosses: each day and its cutoffs for 1 and 3 years, and their neighbours. */
async function edgeDates(db: Db): Promise<string[]> {
  const rows = await db.execute({
    sql: 'SELECT DISTINCT date(d.value, y.value, s.value) AS day FROM json_each(?) d, json_each(?) y, json_each(?) s ORDER BY 1',
    args: [JSON.stringify(DAYS.map(([d]) => d)), JSON.stringify(['+0 years', '-1 years', '-3 years']), JSON.stringify(['-1 day', '+0 days', '+1 day'])],
  });
  return rows.rows.map((r) => String(r.day));
}

const random16 = random(16);
const pick = <T>(list: T[]) => list[Math.floor(random16() * list.length)];
const FIRST_DAY = DAYS[0][0];
const LEAP_SEGMENT = '2028-02-27';

/**
 * Four panels whose members' visits and confirmations sit on those edges; some members on
 * two panels. Only West's members have birth or confirmation dates after the walk's days:
 * a panel with such a date has all its members counted again, which would hide a mistake
 * in finding the few members to count again in the others.
 */
async function edgyClinic(db: Db): Promise<number[]> {
  const dates = await edgeDates(db);
  const past = dates.filter((d) => d < FIRST_DAY);
  const panels = [];
  for (const name of ['North', 'South', 'East', 'West']) panels.push(await addClinicPanel(db, { name, patients: 30 }));
  const west = panels[3].panelId;
  for (const { panelId, patientIds } of panels) {
    for (const id of patientIds) {
      await db.execute({ sql: 'DELETE FROM visits WHERE patient_id = ?', args: [id] });
      for (let v = Math.floor(random16() * 4); v > 0; v--) {
        await db.execute({ sql: 'INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, 1, ?)', args: [id, pick(dates)] });
      }
      const confirmed = random16() < 0.1 ? null : pick(panelId === west ? dates : past);
      await db.execute({ sql: 'UPDATE panel_members SET confirmed_on = ? WHERE panel_id = ? AND patient_id = ?', args: [confirmed, panelId, id] });
      if (panelId === west && random16() < 0.2) await db.execute({ sql: 'UPDATE patients SET birth_date = ? WHERE id = ?', args: [pick(dates), id] });
    }
  }
  for (let i = 0; i < 8; i++) {
    const [from, to] = [pick(panels.slice(0, 3)), pick(panels.slice(0, 3))];
    await db.execute({ sql: 'INSERT OR IGNORE INTO panel_members (panel_id, patient_id, confirmed_on) VALUES (?, ?, ?)',
      args: [to.panelId, pick(from.patientIds), pick(past)] });
  }
  return panels.map((p) => p.panelId);
}

/** Confirmations of all but West moved to dates on the edges of the leap-year days, all before them. */
async function confirmationsMovedOn(db: Db, panels: number[]) {
  const dates = (await edgeDates(db)).filter((d) => d > '2027-01-16' && d < LEAP_SEGMENT);
  const members = await db.execute({ sql: 'SELECT panel_id, patient_id FROM panel_members WHERE panel_id IN (?, ?, ?)', args: panels.slice(0, 3) });
  for (const m of members.rows) {
    await db.execute({ sql: 'UPDATE panel_members SET confirmed_on = ? WHERE panel_id = ? AND patient_id = ?', args: [pick(dates), m.panel_id, m.patient_id] });
  }
}

/** What the pipeline's own extraction and the members page's warnings say of every panel, as of `at`. */
async function straightforward(db: Db, panelIds: number[], at: Date) {
  const all = new Map();
  for (const id of panelIds) {
    all.set(id, { ...judgementOf(validatePanel((await extractPanel(db, id, at))!)), warnings: await panelWarnings(db, id, at) });
  }
  return all;
}

type Stored = { panel_id: number; as_of_day: string; computed_at: number; facts: string };
const storedRows = async (db: Db) => (await db.execute('SELECT * FROM panel_readiness ORDER BY panel_id')).rows as unknown as Stored[];
const factsOf = (rows: Stored[]) => new Map(rows.map((r) => {
  const { carriedMark: _, ...facts } = JSON.parse(r.facts);
  return [Number(r.panel_id), facts];
}));

/** The stored facts as a fresh gathering would store them; the stored rows are put back after. */
async function gatheredAfresh(db: Db, at: Date) {
  const kept = await storedRows(db);
  await db.execute('DELETE FROM panel_readiness');
  await readinessOfCparPanels(db, at);
  const fresh = factsOf(await storedRows(db));
  await db.batch(['DELETE FROM panel_readiness', ...kept.map((r) => ({
    sql: 'INSERT INTO panel_readiness (panel_id, as_of_day, computed_at, facts) VALUES (?, ?, ?, ?)',
    args: [r.panel_id, r.as_of_day, r.computed_at, r.facts],
  }))], 'write');
  return fresh;
}

// Changes to the data made before the walk's given step: each one forgets what it touches.
const CHANGES: Record<number, [string, (db: Db, panels: number[]) => Promise<unknown>][]> = {
  2: [['a visit added', (db, [p]) => db.execute({ sql: `INSERT INTO visits (patient_id, practitioner_id, visit_date)
        SELECT patient_id, 1, '2023-11-26' FROM panel_members WHERE panel_id = ? LIMIT 2`, args: [p] })]],
  3: [['a patient deceased', (db, [, p]) => db.execute({ sql: `UPDATE patients SET status = 'deceased'
        WHERE id = (SELECT patient_id FROM panel_members WHERE panel_id = ? LIMIT 1)`, args: [p] })]],
  4: [['a member removed', (db, [, , p]) => db.execute({ sql: `DELETE FROM panel_members
        WHERE panel_id = ? AND patient_id = (SELECT max(patient_id) FROM panel_members WHERE panel_id = ?)`, args: [p, p] })],
    ['a confirmation moved', (db, [, , , p]) => db.execute({ sql: `UPDATE panel_members SET confirmed_on = '2023-11-27'
        WHERE panel_id = ? AND patient_id = (SELECT min(patient_id) FROM panel_members WHERE panel_id = ?)`, args: [p, p] })]],
  8: [['the limits set to one year', (db) => db.execute('UPDATE clinic_settings SET stale_visit_years = 1, stale_confirmation_years = 1')],
    ['confirmations moved on', confirmationsMovedOn]],
};

carry('carried forward, every panel’s readiness is exactly a fresh gathering’s and the pipeline’s, day after day, through changes', async () => {
  const db = await freshDb();
  const panels = await edgyClinic(db);
  const clock = new ManualClock(instant(DAYS[0]));
  let carried = 0;
  for (const [step, day] of DAYS.entries()) {
    for (const [, change] of CHANGES[step] ?? []) await change(db, panels);
    const on = [day[0], ...(CHANGES[step] ?? []).map(([what]) => `after ${what}`)].join(', ');
    clock.set(instant(day));
    // A mark on every stored row shows which rows were carried rather than gathered again.
    await db.execute("UPDATE panel_readiness SET facts = json_set(facts, '$.carriedMark', 1)");
    const marked = (await storedRows(db)).filter((r) => r.as_of_day >= edmontonDate(new Date(clock.now().getTime() - CARRY_DAYS * 86_400_000))).length;
    // Two panels asked for alone first (as the members page asks), then all of them.
    const some = await readinessOfCparPanels(db, clock.now(), panels.slice(0, 2));
    const all = await readinessOfCparPanels(db, clock.now());
    const rows = await storedRows(db);
    carried += rows.filter((r) => JSON.parse(r.facts).carriedMark).length;
    assert.ok(rows.every((r) => r.as_of_day === day[0]), `${on}: every row is today's`);
    assert.equal(factsOf(rows), await gatheredAfresh(db, clock.now()), `${on}: stored facts`);
    const expected = await straightforward(db, panels, clock.now());
    assert.equal(all, expected, `${on}: readiness`);
    for (const id of panels.slice(0, 2)) assert.equal(some.get(id), expected.get(id), `${on}: panel ${id} asked alone`);
    if (step > 0 && marked) assert.ok(rows.some((r) => JSON.parse(r.facts).carriedMark), `${on}: something was carried`);
  }
  assert.ok(carried >= 20, `carried ${carried} times`);
});

carry('a row is not carried to an earlier day, nor from a day more than the carry reaches', async () => {
  const db = await freshDb();
  const [panelId] = await edgyClinic(db);
  const mark = () => db.execute("UPDATE panel_readiness SET facts = json_set(facts, '$.carriedMark', 1)");
  const isMarked = async () => Boolean(JSON.parse(String((await db.execute({ sql: 'SELECT facts FROM panel_readiness WHERE panel_id = ?', args: [panelId] })).rows[0].facts)).carriedMark);
  await readinessOfCparPanels(db, new Date('2026-11-26T12:00:00-07:00'));
  await mark();
  await readinessOfCparPanels(db, new Date('2026-11-25T12:00:00-07:00'));
  assert.not.ok(await isMarked(), 'the day before is gathered');
  await mark();
  await readinessOfCparPanels(db, new Date('2026-12-26T12:00:00-07:00'));
  assert.ok(await isMarked(), '31 days on is carried');
  await mark();
  await readinessOfCparPanels(db, new Date('2027-01-27T12:00:00-07:00'));
  assert.not.ok(await isMarked(), '32 days on is gathered');
});

carry.run();
