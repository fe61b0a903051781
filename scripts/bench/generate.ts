// Builds a synthetic clinical record at a scale, in SQL: the panels are planned in JS (a few
// thousand rows, passed once through json_each) and every patient, membership and visit is
// produced by INSERT … SELECT over generate_series, so memory stays flat at any scale.
// A finished dataset is cached at os.tmpdir()/cpar-bench-<scale>-v<version>-<schema>.db and reused.
import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/domain/time/clock.ts';
import { openDatabase, type Db } from '../../src/domain/database/db.ts';
import { FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES } from '../../src/domain/demo/demo-names.ts';
import { edmontonDate } from '../../src/domain/time/edmonton.ts';
import { migrate, readMigrations } from '../../src/domain/database/migrate.ts';
import { createUser } from '../../src/domain/people/users.ts';
import { planPanels, summarizePlan } from './panel-plan.ts';
import { historySteps } from './history.ts';
import { BENCH_USER, GENERATOR_VERSION, RUN_AT, type Scale } from './scales.ts';

export type Dataset = {
  path: string;
  generated: boolean;
  /** seconds the generation took (this run, or when the cached file was made) */
  seconds: number | null;
  bytes: number;
  plan: ReturnType<typeof summarizePlan>;
  steps: { step: string; seconds: number }[];
};

/**
 * The cached file of a scale: keyed by the generator's version and by the migrations it was
 * built with, so a new or changed migration gets a dataset generated under the new schema.
 */
export function datasetPath(scale: Scale): string {
  const schema = createHash('sha256');
  for (const m of readMigrations()) schema.update(`${m.name}\n${m.sql}\n`);
  return join(tmpdir(), `cpar-bench-${scale.name}-v${GENERATOR_VERSION}-${schema.digest('hex').slice(0, 8)}.db`);
}

const PRIME = 4294967291;
/**
 * A deterministic pseudo-random integer in [0, 2^32 − 5) from an integer SQL expression: two
 * rounds of multiplicative hashing modulo a prime. SQLite's random() cannot be seeded, and the
 * same scale should always produce the same record. Products stay below 2^63.
 */
export function rnd(x: string, salt: number): string {
  return `((((((${x}) + ${salt}) * 2654435761) % ${PRIME}) * 1597334677 + ${salt * 7 + 1}) % ${PRIME})`;
}

type Step = { step: string; run: (db: Db) => Promise<unknown> };

function timed(log: (line: string) => void) {
  const steps: { step: string; seconds: number }[] = [];
  return {
    steps,
    async run(db: Db, list: Step[]) {
      for (const { step, run } of list) {
        const started = performance.now();
        await run(db);
        const seconds = (performance.now() - started) / 1000;
        steps.push({ step, seconds });
        log(`  ${step.padEnd(34)} ${seconds.toFixed(1).padStart(6)} s`);
      }
    },
  };
}

/** The cached dataset of this scale, generated first when missing (or when asked to). */
export async function ensureDataset(scale: Scale, { regenerate = false, log = console.log } = {}): Promise<Dataset> {
  const path = datasetPath(scale);
  const plans = planPanels(scale);
  const plan = summarizePlan(plans);
  if (existsSync(path) && !regenerate) {
    const meta = await readMeta(path);
    return { path, generated: false, seconds: meta.seconds, bytes: statSync(path).size, plan, steps: meta.steps };
  }
  const partial = `${path}.${process.pid}.partial`; // two benches may build the same dataset at once
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(partial + suffix, { force: true });
  log(`Generating the ${scale.name} dataset (${plan.panels} panels, ${plan.memberships} memberships) into ${path}`);
  const started = performance.now();
  const db = await openDatabase(`file:${partial}`);
  const timer = timed(log);
  await timer.run(db, [{ step: 'schema (migrations)', run: (d) => migrate(d) }]);
  // Bulk loading only: this file is thrown away if the generation stops half-way.
  await db.executeMultiple(`PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;
    PRAGMA cache_size = -262144; PRAGMA temp_store = FILE;`);
  await timer.run(db, recordSteps(scale, plans));
  await timer.run(db, historySteps(plans.length));
  await timer.run(db, [{ step: 'drop the scaffolding', run: (d) => d.executeMultiple('DROP TABLE bench_plan; DROP TABLE bench_first; DROP TABLE bench_last;') }]);
  const seconds = (performance.now() - started) / 1000;
  await db.execute({
    sql: 'CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
  });
  await db.execute({
    sql: "INSERT INTO bench_meta VALUES ('generation', ?)",
    args: [JSON.stringify({ seconds, steps: timer.steps, version: GENERATOR_VERSION, scale: scale.name })],
  });
  await db.execute('PRAGMA journal_mode = DELETE');
  db.close();
  renameSync(partial, path);
  log(`  generated in ${seconds.toFixed(1)} s, ${(statSync(path).size / 2 ** 20).toFixed(0)} MB`);
  return { path, generated: true, seconds, bytes: statSync(path).size, plan, steps: timer.steps };
}

async function readMeta(path: string): Promise<{ seconds: number | null; steps: { step: string; seconds: number }[] }> {
  const db = await openDatabase(`file:${path}`);
  try {
    const row = (await db.execute("SELECT value FROM bench_meta WHERE key = 'generation'")).rows[0];
    const meta = row ? JSON.parse(String(row.value)) : {};
    return { seconds: meta.seconds ?? null, steps: meta.steps ?? [] };
  } finally {
    db.close();
  }
}

/** x⁻¹ mod m (extended Euclid); the sharing map below must be a bijection. */
function inverse(x: number, m: number): number {
  let [a, b, u, v] = [BigInt(x), BigInt(m), 1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b, u, v] = [b, a - q * b, v, u - q * v];
  }
  if (a !== 1n) throw new Error(`${x} has no inverse modulo ${m}`);
  return Number(((u % BigInt(m)) + BigInt(m)) % BigInt(m));
}

const SHARE_STEP = 7919;
const SHARE_OFFSET = 1234567;

function recordSteps(scale: Scale, plans: ReturnType<typeof planPanels>): Step[] {
  const slots = plans.reduce((n, p) => n + p.size, 0);
  // Slot s (s % 100 = 37) holds patient (s·STEP + OFFSET) mod slots + 1 instead of its own.
  const sharedTo = (s: string) => `(${s} * ${SHARE_STEP} + ${SHARE_OFFSET}) % ${slots} + 1`;
  // Whether patient q+1 is one of those: the map is inverted, so it is one expression.
  const isShared = (q: string) => `((((${q} - ${SHARE_OFFSET}) % ${slots} + ${slots}) % ${slots}) * ${inverse(SHARE_STEP, slots)} % ${slots} % 100 = 37)`;
  const today = edmontonDate(RUN_AT);
  const created = RUN_AT.getTime() - 2 * 365 * 86_400_000;
  const firstNames = [...FEMALE_FIRST_NAMES, ...MALE_FIRST_NAMES];
  return [
    {
      // The page user (a real password hash) and one failure-notification user per clinic;
      // the clinic users never sign in, so their hash is a placeholder no password matches.
      step: 'users',
      run: async (db) => {
        const user = await createUser(db, new ManualClock(new Date(created)), { ...BENCH_USER, permissions: ['cii_cpar_settings'] });
        if (!user.ok) throw new Error(user.errors.map((e) => e.message).join(' '));
        await db.execute({
          sql: `INSERT INTO users (username, full_name, password_hash, created_at)
                SELECT printf('clinic-%03d', value), 'Clinic ' || value || ' manager', '!', ? FROM generate_series(2, ?)`,
          args: [created, scale.clinics],
        });
      },
    },
    {
      step: 'practitioners and panels',
      run: (db) => db.batch([
        `CREATE TABLE bench_plan (id INTEGER PRIMARY KEY, start INTEGER NOT NULL, size INTEGER NOT NULL,
           messy INTEGER NOT NULL, no_prac INTEGER NOT NULL, clinic INTEGER NOT NULL, name TEXT NOT NULL, practitioner TEXT NOT NULL)`,
        { sql: `INSERT INTO bench_plan SELECT value ->> 'id', value ->> 'start', value ->> 'size', value ->> 'messy',
                  value ->> 'noPracId', value ->> 'clinic', value ->> 'name', value ->> 'practitioner' FROM json_each(?)`,
          args: [JSON.stringify(plans)] },
        'CREATE TABLE bench_first (k INTEGER PRIMARY KEY, name TEXT NOT NULL)',
        { sql: 'INSERT INTO bench_first SELECT key, value FROM json_each(?)', args: [JSON.stringify(firstNames)] },
        'CREATE TABLE bench_last (k INTEGER PRIMARY KEY, name TEXT NOT NULL)',
        { sql: 'INSERT INTO bench_last SELECT key, value FROM json_each(?)', args: [JSON.stringify(LAST_NAMES)] },
        `INSERT INTO practitioners (id, name, practitioner_id)
         SELECT id, practitioner, CASE WHEN no_prac THEN NULL ELSE printf('%06d', 100000 + id) END FROM bench_plan`,
        { sql: `INSERT INTO panels (id, name, panel_number, cpar_enabled, active, failure_recipient_id, created_at)
                SELECT b.id, b.name, printf('CPAR-%06d', b.id), 1, 1,
                       CASE WHEN b.clinic = 1 THEN (SELECT id FROM users WHERE username = ?)
                            ELSE (SELECT id FROM users WHERE username = printf('clinic-%03d', b.clinic)) END, ?
                  FROM bench_plan b`,
          args: [BENCH_USER.username, created] },
        'INSERT INTO panel_practitioners (panel_id, practitioner_id) SELECT id, id FROM bench_plan',
      ], 'write'),
    },
    {
      // One patient per membership slot: ~95% active, the rest inactive, deceased or moved away.
      // ULIs are a bijection of the id onto 9-digit numbers, so they are unique by construction.
      step: `patients (${slots})`,
      run: (db) => db.execute({
        sql: `INSERT INTO patients (id, uli, last_name, first_name, birth_date, gender, status)
              SELECT i, CAST(100000000 + (i * 48271) % 900000000 AS TEXT),
                     (SELECT name FROM bench_last WHERE k = r1 % ${LAST_NAMES.length}),
                     (SELECT name FROM bench_first WHERE k = (CASE g WHEN 'M' THEN ${FEMALE_FIRST_NAMES.length} ELSE 0 END) + r2 % 50),
                     date(?, '-' || (1 + r3 % 33000) || ' days'), g,
                     CASE WHEN r4 % 1000 < 955 THEN 'active' WHEN r4 % 1000 < 975 THEN 'inactive'
                          WHEN r4 % 1000 < 987 THEN 'deceased' ELSE 'moved_away' END
                FROM (SELECT value AS i, ${rnd('value', 1)} AS r1, ${rnd('value', 2)} AS r2, ${rnd('value', 3)} AS r3,
                             ${rnd('value', 4)} AS r4,
                             CASE WHEN ${rnd('value', 5)} % 1000 < 505 THEN 'F'
                                  WHEN ${rnd('value', 5)} % 1000 < 990 THEN 'M' ELSE 'X' END AS g
                        FROM generate_series(1, ?))`,
        args: [today, slots],
      }),
    },
    {
      // Slot k is patient k+1, except one slot in a hundred: a patient from elsewhere in the
      // province (on two panels — a registry conflict); that slot's own patient is unattached.
      // Messy panels leave 14% of their members unconfirmed.
      step: 'panel memberships',
      run: (db) => db.execute({
        sql: `INSERT OR IGNORE INTO panel_members (panel_id, patient_id, confirmed_on)
              SELECT p.id, CASE WHEN s.value % 100 = 37 THEN ${sharedTo('s.value')} ELSE s.value + 1 END,
                     CASE WHEN p.messy AND ${rnd('s.value', 13)} % 100 < 14 THEN NULL
                          ELSE date(?, '-' || (${rnd('s.value', 17)} % 2500) || ' days') END
                FROM bench_plan p JOIN generate_series(p.start, p.start + p.size - 1) s
               WHERE p.size > 0`,
        args: [today],
      }),
    },
    {
      // 1–5 visits a patient over three years (three on average), 70% with their own panel's
      // practitioner; on messy panels 10% of patients have never been seen (never one also on
      // another panel, so the problems stay with the messy panels).
      step: 'visits',
      run: (db) => db.execute({
        sql: `INSERT INTO visits (patient_id, practitioner_id, visit_date)
              SELECT s.value + 1,
                     CASE WHEN ${rnd('s.value * 8 + j.value', 23)} % 10 < 7 THEN p.id
                          ELSE 1 + ${rnd('s.value * 8 + j.value', 29)} % ${plans.length} END,
                     date(?, '-' || (${rnd('s.value * 8 + j.value', 31)} % 1095) || ' days')
                FROM bench_plan p JOIN generate_series(p.start, p.start + p.size - 1) s JOIN generate_series(1, 5) j
               WHERE p.size > 0
                 AND j.value <= CASE WHEN p.messy AND ${rnd('s.value', 19)} % 100 < 10 AND NOT ${isShared('s.value')} THEN 0 ELSE 1 + ${rnd('s.value', 37)} % 5 END`,
        args: [today],
      }),
    },
  ];
}
