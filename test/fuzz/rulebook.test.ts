// The property behind "one rulebook": for generated clinics and instants, readiness's verdict
// and reasons (readinessOfCparPanels and panelReadiness) are what the run does — its
// validation, from a snapshot and from the members' columns, and the message check: a
// panel the rules pass makes a message with no problem, one they fail is never built.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openDatabase, type Db } from '../../src/domain/database/db.ts';
import { extractPanel, extractRows } from '../../src/domain/pipeline/extraction.ts';
import { migrate } from '../../src/domain/database/migrate.ts';
import { panelReadiness, readinessOfCparPanels } from '../../src/domain/panels/readiness.ts';
import { panelWarnings } from '../../src/domain/panels/readiness-warnings.ts';
import { judgementOf, validateFacts, validatePanel } from '../../src/domain/panels/validation.ts';
import { messageFromColumns } from '../../src/netcare/encode-columns.ts';
import { messageFromSnapshot } from '../../src/netcare/encode.ts';
import { validateCparGroup } from '../../src/netcare/payload.ts';
import { nativeExtractor } from '../../src/preparer/native-extraction.ts';
import { runs } from './support.ts';

const DAY = '2027-03-15'; // the run day; the dates below straddle it
const near = fc.constantFrom('1970-06-01', '2027-03-13', '2027-03-14', DAY, '2027-03-16', '2027-03-17');
// Mostly what passes, so that passing panels are common and each way of failing stands alone.
const mostly = <T>(usual: fc.Arbitrary<T>, edge: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: usual }, { weight: 1, arbitrary: edge });
const past = fc.constantFrom('1970-06-01', '2027-03-13', '2027-03-14', DAY);
const nameOf = fc.oneof(
  fc.constantFrom('Dr. Moreau family practice', 'Zoë "Z" Ng\\'),
  // around 255 characters, some of them past the 16 bits of one UTF-16 unit
  fc.tuple(fc.integer({ min: 150, max: 257 }), fc.integer({ min: 0, max: 60 }), fc.constantFrom('😀', 'é', '𝔸'))
    .map(([letters, others, c]) => `${'a'.repeat(Math.max(1, letters - others))}${c.repeat(others)}`),
  fc.tuple(fc.integer({ min: 250, max: 256 }), fc.integer({ min: 40, max: 60 }))
    .map(([characters, emoji]) => `${'a'.repeat(characters - emoji)}${'😀'.repeat(emoji)}`),
);
const patient = fc.record({
  birthDate: mostly(past, near), active: mostly(fc.constant(true), fc.constant(false)),
  confirmedOn: mostly(past, fc.option(near, { freq: 3 })),
  visits: mostly(fc.array(past, { minLength: 1, maxLength: 2 }), fc.array(near, { maxLength: 2 })), names: fc.constantFrom(['Okafor', 'Adaeze'], ['Ng', '😀'], ['Lindqvist', 'Mats']),
});
const panel = fc.record({
  name: nameOf,
  practitionerIds: mostly(fc.constant<(string | null)[]>(['0412345']), fc.array(fc.constantFrom<string | null>('0412345', null, '', ' '), { maxLength: 2 })),
  patients: fc.array(patient, { maxLength: 5 }),
});
// Instants around Edmonton midnight at the run day's ends, and the run's own 21:00.
const instant = fc.constantFrom('2027-03-15T06:59:59.999Z', '2027-03-15T07:00:00Z', '2027-03-16T03:00:00Z',
  '2027-03-16T05:59:59.999Z', '2027-03-16T06:00:00Z', '2027-03-14T07:00:00.001Z').map((at) => new Date(at));

type Panel = typeof panel extends fc.Arbitrary<infer T> ? T : never;

let uli = 300_000_000;
async function writeClinic(db: Db, panels: Panel[]): Promise<number[]> {
  await db.batch(['DELETE FROM panel_readiness', 'DELETE FROM visits', 'DELETE FROM panel_members',
    'DELETE FROM panels', 'DELETE FROM patients', 'DELETE FROM practitioners'], 'write');
  const ids: number[] = [];
  for (const p of panels) {
    const panelId = Number((await db.execute({ sql: `INSERT INTO panels (name, panel_number, cpar_enabled, created_at)
      VALUES (?, ?, 1, 0) RETURNING id`, args: [p.name, `PNL-${uli++}`] })).rows[0].id);
    ids.push(panelId);
    for (const [i, practitionerId] of p.practitionerIds.entries()) {
      const pr = (await db.execute({ sql: 'INSERT INTO practitioners (name, practitioner_id) VALUES (?, ?) RETURNING id', args: [`Dr. ${i}`, practitionerId] })).rows[0].id;
      await db.execute({ sql: 'INSERT INTO panel_practitioners (panel_id, practitioner_id) VALUES (?, ?)', args: [panelId, pr] });
    }
    for (const pt of p.patients) {
      const id = Number((await db.execute({ sql: `INSERT INTO patients (uli, last_name, first_name, birth_date, gender, status)
        VALUES (?, ?, ?, ?, 'F', ?) RETURNING id`, args: [String(uli++), pt.names[0], pt.names[1], pt.birthDate, pt.active ? 'active' : 'inactive'] })).rows[0].id);
      await db.execute({ sql: 'INSERT INTO panel_members (panel_id, patient_id, confirmed_on) VALUES (?, ?, ?)', args: [panelId, id, pt.confirmedOn] });
      // Visits are with any practitioner of the clinic: the first there is, or one of their own.
      const practitioner = (await db.execute("INSERT INTO practitioners (name) VALUES ('Dr. Elsewhere') RETURNING id")).rows[0].id;
      for (const day of pt.visits) {
        await db.execute({ sql: 'INSERT INTO visits (patient_id, practitioner_id, visit_date) VALUES (?, ?, ?)', args: [id, practitioner, day] });
      }
    }
  }
  return ids;
}

const rulebook = suite('readiness equals the run');

rulebook('readiness\'s verdict and reasons are the run\'s, message check included, in both threads', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'cpar-rulebook-')), 'test.db');
  const db = await openDatabase(`file:${path}`);
  await migrate(db);
  const native = nativeExtractor(path);
  try {
    await fc.assert(fc.asyncProperty(fc.array(panel, { maxLength: 3 }), fc.array(instant, { minLength: 2, maxLength: 3 }), async (panels, instants) => {
      const ids = await writeClinic(db, panels);
      for (const at of instants) {
        // One panel asked for first: read from the stored facts of an earlier instant, if any.
        const chosen = await readinessOfCparPanels(db, at, ids.slice(0, 1));
        const all = await readinessOfCparPanels(db, at);
        for (const [k, panelId] of ids.entries()) {
          const validation = (await panelReadiness(db, panelId, at))!;
          const { warnings, ...verdict } = all.get(panelId)!;
          assert.equal(verdict, judgementOf(validation), 'stored readiness is the panel\'s readiness');
          // Its warnings, gathered for all panels at once or for one, are the members page's, member by member.
          assert.equal(warnings, await panelWarnings(db, panelId, at), 'warnings gathered for every panel');
          if (k === 0) {
            const { warnings: one, ...alone } = chosen.get(panelId)!;
            assert.equal(alone, judgementOf(validation));
            assert.equal(one, warnings, 'warnings gathered for one panel');
          }
          // From a snapshot: its rules and its message.
          const snapshot = (await extractPanel(db, panelId, at))!;
          assert.equal(validatePanel(snapshot), validation);
          // The run's preparation: the native driver's extraction, and the client's.
          const natively = native.extract(panelId, at)!;
          assert.equal(validateFacts(natively.facts), validation);
          assert.equal(validateFacts((await extractRows(db, panelId, at))!.facts), validation);
          if (!validation.ok) continue; // never built, never sent: the pipeline fails it first
          const here = messageFromSnapshot(snapshot, 9);
          assert.equal(here.problems, [], 'the message check confirms what the rules decided');
          const members = natively.members();
          const there = messageFromColumns(members.panel, members.columns, members.order, 9);
          assert.equal(there.problems, []);
          assert.ok(Buffer.from(there.body).equals(Buffer.from(here.body)), 'both ways write the same message');
          assert.equal(validateCparGroup(JSON.parse(Buffer.from(here.body).toString('utf8'))), [], 'the simulator accepts it');
        }
      }
    }), runs(150));
  } finally {
    native.close();
    db.close();
  }
});

rulebook.run();
