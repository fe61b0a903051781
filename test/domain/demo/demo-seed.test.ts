import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../src/domain/database/db.ts';
import { migrate } from '../../../src/domain/database/migrate.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { authenticate } from '../../../src/domain/people/users.ts';
import { isEmptyClinic, seedDemo, type DemoUser } from '../../../src/domain/demo/demo-seed.ts';
import { openExceptions } from '../../../src/domain/registry/registry.ts';
import { extractPanel } from '../../../src/domain/pipeline/extraction.ts';
import { edmontonDate } from '../../../src/domain/time/edmonton.ts';
import { startSimulator } from '../../../src/netcare-sim/embed.ts';
import { adapt } from '../../../src/netcare-connection.ts';

const NOW = '2026-11-26T12:00:00-07:00';

const dirs: string[] = [];
async function freshDatabase(): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-seed-'));
  dirs.push(dir);
  const db = await openDatabase(`file:${join(dir, 'cpar.db')}`);
  await migrate(db);
  return db;
}

// One seeded clinic for the read-only checks below; the seeding itself is timed.
const db = await freshDatabase();
const emptyBefore = await isEmptyClinic(db);
const started = performance.now();
const { users, sendNow }: { users: DemoUser[]; sendNow: number[] } = await seedDemo(db, new ManualClock(NOW));
const seedingMs = performance.now() - started;

const all = async (sql: string, args: (string | number)[] = []) => (await db.execute({ sql, args })).rows;
const one = async (sql: string, args: (string | number)[] = []) => (await all(sql, args))[0];
const LATEST = `SELECT s.*, p.name AS panel_name, p.failure_recipient_id FROM panels p
  JOIN submissions s ON s.id = (SELECT id FROM submissions WHERE panel_id = p.id ORDER BY created_at DESC, id DESC LIMIT 1)
  WHERE p.active = 1 AND p.cpar_enabled = 1`;

test('an empty clinic is empty before the demo and not after it', async () => {
  assert.ok(emptyBefore);
  assert.not.ok(await isEmptyClinic(db));
});

test('seeding takes well under ten seconds', () => {
  assert.ok(seedingMs < 10_000, `seeding took ${Math.round(seedingMs)} ms`);
});

test('seeding refuses a clinic that is already set up', async () => {
  try {
    await seedDemo(db, new ManualClock(NOW));
    assert.unreachable('a second seeding should fail');
  } catch (error) {
    assert.match(String(error), /empty clinic/);
  }
  assert.is(Number((await one('SELECT count(*) AS n FROM users')).n), 3);
});

test('three staff with the right permissions, who can sign in with the returned passwords', async () => {
  const rows = await all(`SELECT u.username, group_concat(p.permission) AS permissions
    FROM users u LEFT JOIN (SELECT * FROM user_permissions ORDER BY permission) p ON p.user_id = u.id GROUP BY u.id ORDER BY u.username`);
  assert.equal(rows.map((r) => [r.username, r.permissions]), [
    ['admin', 'cii_cpar_settings,manage_users,view_audit_log'],
    ['clerk', 'cii_cpar_settings'],
    ['drokafor', null],
  ]);
  for (const user of users) assert.ok(await authenticate(db, user.username, user.password), user.username);
  const linked = await one(`SELECT pr.name FROM practitioners pr JOIN users u ON u.id = pr.user_id WHERE u.username = 'drokafor'`);
  assert.is(linked?.name, 'Dr. Amara Okafor');
});

test('practitioners have 6-digit Practitioner IDs except exactly one', async () => {
  const rows = await all('SELECT practitioner_id FROM practitioners');
  assert.ok(rows.length >= 8);
  assert.is(rows.filter((r) => r.practitioner_id === null).length, 1);
  assert.ok(rows.every((r) => r.practitioner_id === null || /^\d{6}$/.test(String(r.practitioner_id))));
});

test('over 3,000 patients with unique 9-digit ULIs, mostly active, all but a few with visits', async () => {
  const stats = await one(`SELECT count(*) AS n, count(DISTINCT uli) AS ulis,
      sum(uli GLOB '[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]') AS nine_digits,
      sum(status = 'active') AS active, count(DISTINCT status) AS statuses,
      sum(NOT EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = patients.id)) AS never_seen
    FROM patients`);
  const n = Number(stats.n);
  assert.ok(n >= 3000, `${n} patients`);
  assert.is(Number(stats.ulis), n);
  assert.is(Number(stats.nine_digits), n);
  assert.ok(Number(stats.active) / n > 0.9 && Number(stats.active) < n);
  assert.is(Number(stats.statuses), 4);
  assert.is(Number(stats.never_seen), 14);
  const future = await one(`SELECT count(*) AS n FROM visits WHERE visit_date >= '2026-11-26'`);
  assert.is(Number(future.n), 0);
});

test('CPAR panels, one regular panel and one inactive CPAR panel', async () => {
  const kinds = await one(`SELECT sum(active = 1 AND cpar_enabled = 1) AS cpar, sum(active = 1 AND cpar_enabled = 0) AS regular,
      sum(active = 0 AND cpar_enabled = 1) AS inactive_cpar FROM panels`);
  assert.ok(Number(kinds.cpar) >= 6);
  assert.is(Number(kinds.regular), 1);
  assert.is(Number(kinds.inactive_cpar), 1);
  const shared = await one('SELECT count(*) AS n FROM (SELECT patient_id FROM panel_members GROUP BY patient_id HAVING count(*) > 1)');
  assert.ok(Number(shared.n) > 0, 'some patients are on two panels');
});

test('every status is some panel\'s latest, and one CPAR panel was never submitted', async () => {
  const statuses = new Set((await all(LATEST)).map((r) => r.status));
  assert.equal([...statuses].sort(), ['Failed', 'Queued', 'Submitted']);
  // The fourth, Pending, comes from sending the in-flight submission through the pipeline.
  assert.is(sendNow.length, 1);
  assert.is((await one('SELECT status FROM submissions WHERE id = ?', [sendNow[0]])).status, 'Queued');
  const pending = await all("SELECT id FROM submissions WHERE status = 'Pending'");
  assert.is(pending.length, 0);
  const never = await all(`SELECT id FROM panels p WHERE active = 1 AND cpar_enabled = 1
    AND NOT EXISTS (SELECT 1 FROM submissions s WHERE s.panel_id = p.id)`);
  assert.is(never.length, 1);
});

test('each of the five rules fails a latest submission, with the data that breaks it', async () => {
  const failed = (await all(LATEST)).filter((r) => r.status === 'Failed');
  const byReason = new Map<string, (typeof failed)[number]>();
  for (const s of failed) {
    for (const p of await all('SELECT DISTINCT reason FROM submission_problems WHERE submission_id = ?', [Number(s.id)])) {
      byReason.set(String(p.reason), s);
    }
  }
  const reasons = ['name_too_long', 'practitioner_without_id', 'no_patients', 'no_last_visit', 'no_confirmation_date'];
  for (const reason of reasons) assert.ok(byReason.has(reason), reason);

  const long = byReason.get('name_too_long')!;
  const length = [...String(long.panel_name)].length;
  assert.ok(length > 255 && length <= 300);
  assert.is(long.brief_error, `The panel name is longer than 255 characters (${length}).`);

  const noId = byReason.get('practitioner_without_id')!;
  const practitioner = await one(`SELECT pr.name, pr.practitioner_id FROM panel_practitioners pp
    JOIN practitioners pr ON pr.id = pp.practitioner_id WHERE pp.panel_id = ?`, [Number(noId.panel_id)]);
  assert.is(practitioner.practitioner_id, null);
  assert.is(noId.brief_error, `${practitioner.name} has no Practitioner ID recorded.`);

  const empty = byReason.get('no_patients')!;
  assert.is(Number((await one('SELECT count(*) AS n FROM panel_members WHERE panel_id = ?', [Number(empty.panel_id)])).n), 0);
  assert.is(empty.brief_error, 'The panel has no patients assigned.');
  assert.is(empty.failure_recipient_id, null);
  assert.is(empty.recipient_notified, 0);

  const notSeen = byReason.get('no_last_visit')!;
  const unseen = await all(`SELECT patient_id FROM panel_members m WHERE panel_id = ?
    AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = m.patient_id)`, [Number(notSeen.panel_id)]);
  const unseenProblems = await all(`SELECT patient_id FROM submission_problems WHERE submission_id = ? AND reason = 'no_last_visit'`, [Number(notSeen.id)]);
  assert.equal(unseenProblems.map((r) => r.patient_id).sort(), unseen.map((r) => r.patient_id).sort());
  assert.is(notSeen.brief_error, `${unseen.length} patients have no last visit date.`);

  const unconfirmed = byReason.get('no_confirmation_date')!;
  const missing = await all('SELECT patient_id FROM panel_members WHERE panel_id = ? AND confirmed_on IS NULL', [Number(unconfirmed.panel_id)]);
  const missingProblems = await all(`SELECT patient_id FROM submission_problems WHERE submission_id = ? AND reason = 'no_confirmation_date'`, [Number(unconfirmed.id)]);
  assert.equal(missingProblems.map((r) => r.patient_id).sort(), missing.map((r) => r.patient_id).sort());
  assert.is(unconfirmed.brief_error, `${missing.length} patients have no confirmation date for this panel.`);
});

test('healthy panels: every member confirmed and seen', async () => {
  const healthy = (await all(LATEST)).filter((r) => r.status !== 'Failed');
  assert.is(healthy.length, 3);
  for (const panel of healthy) {
    const bad = await one(`SELECT count(*) AS members, sum(confirmed_on IS NULL) AS unconfirmed,
        sum(NOT EXISTS (SELECT 1 FROM visits v WHERE v.patient_id = m.patient_id)) AS unseen
      FROM panel_members m WHERE panel_id = ?`, [Number(panel.panel_id)]);
    assert.ok(Number(bad.members) >= 500, String(panel.panel_name));
    assert.is(Number(bad.unconfirmed), 0);
    assert.is(Number(bad.unseen), 0);
  }
});

test('six months of monthly runs on the 15th at 21:00 Edmonton', async () => {
  const runs = await all(`SELECT DISTINCT created_at - created_at % 60000 AS minute FROM submissions WHERE trigger = 'scheduled'`);
  const local = runs.map((r) => new Date(Number(r.minute)).toLocaleString('en-CA', { timeZone: 'America/Edmonton', hourCycle: 'h23' }));
  assert.equal(local.sort(), ['2026-06-15', '2026-07-15', '2026-08-15', '2026-09-15', '2026-10-15', '2026-11-15'].map((d) => `${d}, 21:00:00`));
});

test('each failure with a recipient left one message in their inbox, naming no patient', async () => {
  const failures = await one(`SELECT count(*) AS n FROM submissions s JOIN panels p ON p.id = s.panel_id
    WHERE s.status = 'Failed' AND p.failure_recipient_id IS NOT NULL`);
  const messages = await all("SELECT subject, body, read_at FROM inbox_messages WHERE kind = 'failure'");
  assert.ok(Number(failures.n) > 0);
  assert.is(messages.length, Number(failures.n));
  assert.ok(messages.some((m) => m.read_at === null) && messages.some((m) => m.read_at !== null));
  const names = await all(`SELECT DISTINCT pa.last_name FROM submission_problems sp JOIN patients pa ON pa.id = sp.patient_id`);
  for (const m of messages) {
    assert.match(String(m.subject), /^CPAR submission failed: /);
    for (const n of names) assert.not.ok(String(m.body).includes(String(n.last_name)), `${n.last_name} in a message`);
  }
});

test('each answered submission that brought new mismatches or conflicts told its recipient once, naming no patient', async () => {
  const expected = await all(`SELECT s.id, p.failure_recipient_id AS recipient FROM submissions s JOIN panels p ON p.id = s.panel_id
    WHERE p.failure_recipient_id IS NOT NULL AND EXISTS (SELECT 1 FROM registry_exceptions e WHERE e.submission_id = s.id AND e.open_since_submission_id = s.id)
    ORDER BY s.id`);
  const notices = await all("SELECT submission_id AS id, recipient_id AS recipient, body, read_at FROM inbox_messages WHERE kind = 'registry' ORDER BY submission_id");
  assert.ok(expected.length >= 2, 'the demo has registry notices to show');
  assert.equal(notices.map((n) => [n.id, n.recipient]), expected.map((e) => [e.id, e.recipient]));
  assert.ok(notices.some((n) => n.read_at === null) && notices.some((n) => n.read_at !== null), 'the last run\'s unread, older ones read');
  const names = await all('SELECT DISTINCT pa.last_name FROM registry_exceptions e JOIN patients pa ON pa.uli = e.uli');
  for (const n of notices) for (const { last_name } of names) assert.not.ok(String(n.body).includes(String(last_name)), `${last_name} in a notice`);
});

const FUTURE = `SELECT
    (SELECT count(*) FROM submissions WHERE max(created_at, coalesce(pending_at, 0), coalesce(submitted_at, 0), coalesce(failed_at, 0)) > ?1)
  + (SELECT count(*) FROM inbox_messages WHERE max(created_at, coalesce(read_at, 0)) > ?1)
  + (SELECT count(*) FROM panels WHERE created_at > ?1)
  + (SELECT count(*) FROM visits WHERE visit_date >= ?2)
  + (SELECT count(*) FROM panel_members WHERE confirmed_on > ?2) AS n`;

test('nothing in the demo clinic happens after now, even seeded just after a monthly run', async () => {
  for (const at of [NOW, '2026-11-15T21:05:00-07:00', '2026-03-16T00:30:00-06:00']) {
    const fresh = await freshDatabase();
    await seedDemo(fresh, new ManualClock(at));
    const today = new Date(at).toLocaleDateString('en-CA', { timeZone: 'America/Edmonton' });
    const future = await fresh.execute({ sql: FUTURE, args: [new Date(at).getTime(), today] });
    assert.is(Number(future.rows[0].n), 0, at);
    fresh.close();
  }
});

test('a Submitted panel shows the registry\'s outcome — mismatches and conflicts, one open since the month before — as the simulator answers it', async () => {
  const panels = await all('SELECT DISTINCT panel_id FROM registry_exceptions ORDER BY panel_id');
  assert.ok(panels.length >= 2, 'several panels have registry feedback');
  const views = await Promise.all(panels.map((p) => openExceptions(db, Number(p.panel_id))));
  const view = views.find((v) => v && v.items.some((i) => i.kind === 'mismatch') && v.items.some((i) => i.kind === 'conflict'
    && i.openSince.submissionId < v.submissionId))!;
  assert.ok(view, 'a panel with mismatches and a conflict open since an earlier submission');
  assert.ok(view.counted < view.patientCount);
  assert.ok(view.items.length < 60, `a few items, not ${view.items.length}`);

  // The simulator, sent the panel as it stood, answers the same exceptions.
  const day = edmontonDate(view.submittedAt);
  const snapshot = (await extractPanel(db, view.panelId, view.submittedAt))!;
  snapshot.patients = snapshot.patients.filter((p) => p.confirmedOn !== null && p.confirmedOn <= day && p.birthDate <= day);
  const dir = mkdtempSync(join(tmpdir(), 'demo-sim-'));
  dirs.push(dir);
  const sim = await startSimulator({ databaseUrl: `file:${join(dir, 'sim.db')}`, confirmDelayMs: 0 });
  try {
    const netcare = adapt(sim.url, 'demo check', 'demo', { retryBudgetMs: 2000 });
    const sent = await netcare.send(snapshot, view.submissionId);
    const status = sent.kind === 'accepted' ? await netcare.status(sent.reference) : sent;
    assert.is(status.kind, 'confirmed', JSON.stringify(status));
    if (status.kind !== 'confirmed') return;
    const key = (uli: string, kind: string) => `${uli} ${kind}`;
    assert.equal(status.registry.exceptions.map((e) => key(e.uli, e.kind)).sort(), view.items.map((i) => key(i.patient!.uli, i.kind)).sort());
  } finally {
    await sim.close();
  }
});

test('the README\'s tour tells the demo\'s registry figures for Okafor Family Practice, on whatever day the demo is created', async () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const tour = readme.slice(readme.indexOf('**After "Submitted"**'), readme.indexOf('## Test it'));
  const said = tour.match(/\*\*(\d+) of (\d+)\s+counted\*\*[\s\S]*?(\d+)\s+demographic mismatches[\s\S]*?"(\w+)" against\s+"(\w+)"[\s\S]*?(\d+) conflicts/);
  assert.ok(said, 'the tour names the counted patients, the mismatches with an example, and the conflicts');
  const [counted, sent, mismatches, conflicts] = [said![1], said![2], said![3], said![6]].map(Number);
  const [clinicName, registryName] = [said![4], said![5]];
  // Created today, in a year or in five, the demo shows what the tour says (within a patient or two).
  for (const at of [NOW, '2028-02-29T12:00:00-07:00', '2031-12-01T12:00:00-07:00']) {
    const seeded = at === NOW ? db : await freshDatabase();
    if (seeded !== db) await seedDemo(seeded, new ManualClock(at));
    const latest = (await seeded.execute(`SELECT s.id, s.patient_count, s.registry_counted FROM submissions s JOIN panels p ON p.id = s.panel_id
      WHERE p.name = 'Okafor Family Practice' ORDER BY s.created_at DESC, s.id DESC LIMIT 1`)).rows[0];
    const rows = (await seeded.execute({ sql: 'SELECT kind, detail FROM registry_exceptions WHERE submission_id = ?', args: [Number(latest.id)] })).rows;
    const mismatched = rows.filter((r) => r.kind === 'mismatch');
    const near = (actual: number, told: number, by: number, what: string) => assert.ok(Math.abs(actual - told) <= by, `${at}: ${actual} ${what}, the tour says ${told}`);
    assert.is(Number(latest.patient_count), sent, at);
    near(Number(latest.registry_counted), counted, 1, 'counted');
    near(mismatched.length, mismatches, 1, 'mismatches');
    near(rows.length - mismatched.length, conflicts, 3, 'conflicts');
    const fields = mismatched.flatMap((r) => JSON.parse(String(r.detail)).fields as { clinic: string; registry: string }[]);
    assert.ok(fields.some((f) => f.clinic === clinicName && f.registry === registryName), `${at}: ${clinicName} against ${registryName}`);
    if (seeded !== db) seeded.close();
  }
});

test.after(() => {
  db.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test.run();
