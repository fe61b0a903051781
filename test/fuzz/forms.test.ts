// Every form of the portal fed generated input (fixed seed: see support.ts), sent by a user
// who holds the permission. Whatever arrives: never a 5xx; a refusal (4xx) changes nothing
// and says what is wrong; an accepted form (2xx/303) makes only a valid change.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { verifyPassword } from '../../src/domain/people/passwords.ts';
import { nameLength } from '../../src/domain/panels/panels.ts';
import { AUDIT_ACTIONS } from '../../src/domain/audit/audit-query.ts';
import { PERMISSIONS } from '../../src/domain/people/permissions.ts';
import { freshDb, addUser, addPanel, addSubmission, testApp, signIn, PASSWORD } from '../support/app.ts';
import { addClinicPanel } from '../support/clinic.ts';
import {
  runs, text, field, form, post, get, expectStatus, expectMessage, expectUnchanged, expectOnly, localTarget, snapshot, rowsOf,
  isRealDate, toWellFormed, sent, lastValue, segment, resolve, plain, idOrText, trimmed, row, refused, propertiesOn, BIG,
  type Form, type Snapshot,
} from './support.ts';

const TODAY = '2026-11-10'; // the default test clock: 2026-11-10 12:00 in Edmonton
const PANELS = '/settings/cii-cpar/panels';

const db = await freshDb();
const users = {
  fuzzer: await addUser(db, 'fuzzer', ['cii_cpar_settings', 'manage_users', 'view_audit_log']),
  admin2: await addUser(db, 'admin2', ['manage_users']),
  clerk: await addUser(db, 'clerk', ['cii_cpar_settings']),
};
const { app } = testApp(db);
const cookie = await signIn(app, 'fuzzer');
const main = await addClinicPanel(db, { name: 'Main', number: 'PNL-MAIN', patients: 2, withoutVisit: 1, withoutConfirmation: 3, recipient: users.clerk });
const notCpar = await addClinicPanel(db, { name: 'Plain', cpar: false, patients: 2 });
const gone = await addPanel(db, 'Gone', { active: false });
const sentPanel = await addPanel(db, 'Sent');
await addSubmission(db, sentPanel, { status: 'Submitted', createdAt: '2026-10-15T21:00:00-06:00' });
const loose: number[] = [];
for (const [uli, last] of [['300000001', 'Alone'], ['300000002', 'Solo'], ['300000003', "O'Brien"]]) {
  const r = await db.execute({ sql: `INSERT INTO patients (uli, last_name, first_name, birth_date, gender) VALUES (?, ?, 'Kim', '1970-01-01', 'X') RETURNING id`, args: [uli, last] });
  loose.push(Number(r.rows[0].id));
}
const practitioners = (await db.execute('SELECT id FROM practitioners')).rows.map((r) => Number(r.id));
const panelIds = [main.panelId, notCpar.panelId, gone, sentPanel];
const patients = [...main.patientIds, ...notCpar.patientIds, ...loose];
const startMembers = JSON.stringify((await db.execute('SELECT panel_id, patient_id, confirmed_on FROM panel_members')).rows.map((r) => Object.values(r)));
const startPermissions = JSON.stringify((await db.execute('SELECT user_id, permission FROM user_permissions')).rows.map((r) => Object.values(r)));

/** Memberships and users go back to the fixture after each run, so every run starts alike. */
async function restore() {
  await db.batch([
    'DELETE FROM panel_members',
    { sql: `INSERT INTO panel_members (panel_id, patient_id, confirmed_on) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)
             WHERE EXISTS (SELECT 1 FROM panels WHERE id = value ->> 0)`, args: [startMembers] },
    { sql: 'UPDATE users SET disabled_at = NULL WHERE id IN (?, ?, ?)', args: Object.values(users) },
    { sql: 'DELETE FROM user_permissions WHERE user_id IN (?, ?, ?)', args: Object.values(users) },
    { sql: 'INSERT INTO user_permissions (user_id, permission) SELECT value ->> 0, value ->> 1 FROM json_each(?)', args: [startPermissions] },
  ], 'write');
}

const property = propertiesOn(db, restore);

// --- Submissions: Submit ------------------------------------------------------------------
property('fuzz: Submit a panel', fc.record({ id: segment, f: form({ note: field(text), anyway: field(fc.oneof(fc.constant('yes'), text)) }) }), 40, async ({ id, f }, before) => {
  const path = resolve(id, panelIds);
  const a = await post(app, `${PANELS}/${path}/submissions`, cookie, f);
  expectStatus(a, [200, 303, 404, 409]);
  const after = await snapshot(db);
  if (refused(a, before, after)) return;
  if (a.body.includes('This panel will fail:')) {
    // A Not-ready panel is only asked about: nothing is queued before the answer.
    assert.is.not(lastValue(f, 'anyway'), 'yes', 'asked again after "submit anyway"');
    expectUnchanged(before, after);
    return;
  }
  expectOnly(before, after, ['submissions', 'panels']);
  // A panel may keep a pointer to its latest submission and that one's status rank (both kept
  // by the database); nothing else about it changes.
  const panels = (s: Snapshot) => rowsOf(s, 'panels').map(({ last_submission_id: _, status_rank: __, ...r }) => r);
  assert.equal(panels(after), panels(before), 'Submit changed a panel');
  const added = rowsOf(after, 'submissions').filter((s) => !row(before, 'submissions', { id: s.id }));
  assert.equal(added.length, 1);
  assert.is(added[0].status, 'Queued');
  assert.ok(row(before, 'panels', { id: added[0].panel_id, active: 1, cpar_enabled: 1 }), 'queued a panel that is not an active CPAR panel');
  // Sent at once, so the next run may queue the panel again.
  await db.execute({ sql: "UPDATE submissions SET status = 'Submitted', pending_at = 1, submitted_at = 1 WHERE id = ?", args: [added[0].id as number] });
}, [{ id: { raw: BIG }, f: plain({}) }]);

// --- Panels: add and edit -----------------------------------------------------------------
const panelForm = form({
  name: field(fc.oneof(text, fc.constantFrom('Dr. Lee — Main St', '  Spaced  ', 'Ω'.repeat(256)))),
  practitionerIds: field(idOrText(practitioners)),
  panelNumber: field(fc.oneof(text, fc.nat(99).map((n) => `PNL-${n}`), fc.constant('PNL-MAIN'))),
  cparEnabled: field(fc.oneof(fc.constant('on'), text)),
  failureRecipientId: field(fc.oneof(idOrText(Object.values(users)), fc.constant(''))),
});

/** A saved panel holds exactly what was typed (trimmed) and obeys the form's rules. */
function expectValidPanel(after: Snapshot, id: number, f: Form) {
  const panel = row(after, 'panels', { id })!;
  assert.ok(panel, `panel ${id} not found after saving`);
  const name = String(panel.name);
  assert.ok(trimmed(f, 'name').includes(name) && name !== '' && [...name].length <= 1000, `stored name "${name.slice(0, 40)}"`);
  const number = panel.panel_number as string | null;
  assert.ok(number === null || (trimmed(f, 'panelNumber').includes(number) && [...number].length <= 50), `stored number "${number}"`);
  if (panel.cpar_enabled === 1) assert.ok(number !== null && sent(f, 'cparEnabled').includes('on'), 'CPAR on without a number');
  const links = rowsOf(after, 'panel_practitioners').filter((l) => l.panel_id === id).map((l) => Number(l.practitioner_id));
  assert.ok(links.length > 0 && links.every((l) => practitioners.includes(l) && sent(f, 'practitionerIds').includes(String(l))), `links ${links}`);
  const recipient = panel.failure_recipient_id as number | null;
  assert.ok(recipient === null || sent(f, 'failureRecipientId').includes(String(recipient)), `recipient ${recipient}`);
}

property('fuzz: Add a panel', panelForm, 60, async (f, before) => {
  const a = await post(app, PANELS, cookie, f);
  expectStatus(a, [204, 303, 422]);
  const after = await snapshot(db);
  if (refused(a, before, after)) return;
  const id = Number(/#panel-(\d+)$/.exec(localTarget(a))?.[1]);
  assert.not.ok(row(before, 'panels', { id }), 'an existing panel was reported as added');
  expectOnly(before, after, ['panels', 'panel_practitioners']);
  expectValidPanel(after, id, f);
}, [plain({ name: ['\u0000'], practitionerIds: [String(practitioners[0])] }), plain({ name: ['a\u0000b'], practitionerIds: [String(practitioners[0])] }),
  plain({ name: ['NUL number'], practitionerIds: [String(practitioners[0])], panelNumber: ['\u0000'] })]);

property('fuzz: Edit a panel', fc.record({ id: segment, f: panelForm }), 60, async ({ id, f }, before) => {
  const path = resolve(id, panelIds);
  const a = await post(app, `${PANELS}/${path}`, cookie, f);
  expectStatus(a, [204, 303, 404, 422]);
  const after = await snapshot(db);
  if (refused(a, before, after)) return;
  const panelId = Number(path);
  assert.ok(row(before, 'panels', { id: panelId, active: 1 }), 'edited a panel that is not active');
  assert.is(localTarget(a), `${PANELS}#panel-${panelId}`);
  expectOnly(before, after, ['panels', 'panel_practitioners']);
  const others = (s: Snapshot, t: string, k: string) => rowsOf(s, t).filter((r) => r[k] !== panelId);
  assert.equal(others(after, 'panels', 'id'), others(before, 'panels', 'id'));
  assert.equal(others(after, 'panel_practitioners', 'panel_id'), others(before, 'panel_practitioners', 'panel_id'));
  expectValidPanel(after, panelId, f);
}, [{ id: { raw: BIG }, f: plain({ name: ['X'], practitionerIds: [String(practitioners[0])] }) }]);

// --- Panels: live name-length warning (a GET, fuzzed the same way) ------------------------------
property('fuzz: Name-length warning', fc.record({ name: text, htmx: fc.boolean() }), 40, async ({ name, htmx }, before) => {
  const a = await get(app, `${PANELS}/name-length?${new URLSearchParams({ name })}`, cookie, htmx);
  expectStatus(a, [200]);
  expectUnchanged(before, await snapshot(db));
  const normal = toWellFormed(name);
  assert.match(a.body, /id="name-length-warning"/);
  assert.ok(a.body.includes(`${nameLength(normal)}`), `length ${nameLength(normal)} not shown: ${a.body.slice(0, 200)}`);
  assert.is(a.body.includes('class="warning"'), nameLength(normal) > 255);
});

// --- Panel members ------------------------------------------------------------------------
const memberPanels = [main.panelId, notCpar.panelId, gone];
const returnTo = fc.oneof(text, fc.constantFrom(`${PANELS}/${main.panelId}/members?q=Pat&page=2&problem=no_last_visit`,
  `${PANELS}/${main.panelId}/members?problem=no_confirmation_date`, `//evil.example${PANELS}/${main.panelId}/members`,
  `https://evil.example${PANELS}/${main.panelId}/members`, `${PANELS}/${main.panelId}/members?page=99999999999`));
const membersBase = (panel: string) => `${PANELS}/${panel}/members`;

property('fuzz: Confirm or remove one member',
  fc.record({ action: fc.constantFrom('confirmation', 'removal'), panel: segment, patient: segment, f: form({ return_to: field(returnTo) }) }), 50,
  async ({ action, panel, patient, f }, before) => {
    const [p, pt] = [resolve(panel, memberPanels), resolve(patient, patients)];
    const a = await post(app, `${membersBase(p)}/${pt}/${action}`, cookie, f);
    expectStatus(a, [200, 303, 404, 409]);
    if (a.status === 409) {
      assert.is(action, 'confirmation');
      assert.ok(row(before, 'panel_members', { panel_id: Number(p), patient_id: Number(pt) })?.confirmed_on, 'refused a member without a date');
    }
    const after = await snapshot(db);
    if (refused(a, before, after)) return;
    if (a.status === 303) assert.ok(localTarget(a).startsWith(membersBase(p)), `redirect to ${a.location}`);
    expectOnly(before, after, ['panel_members']);
    const key = { panel_id: Number(p), patient_id: Number(pt) };
    assert.ok(row(before, 'panel_members', key), 'acted on someone not on the panel');
    assert.ok(row(before, 'panels', { id: Number(p), active: 1 }));
    if (action === 'removal') assert.not.ok(row(after, 'panel_members', key));
    else {
      assert.is(row(before, 'panel_members', key)!.confirmed_on, null, 'stamped over a recorded date');
      assert.is(row(after, 'panel_members', key)!.confirmed_on, TODAY);
    }
    assert.is(rowsOf(after, 'panel_members').length, rowsOf(before, 'panel_members').length - (action === 'removal' ? 1 : 0));
  }, (['confirmation', 'removal'] as const).map((action) => ({ action, panel: { pick: 0 }, patient: { raw: BIG }, f: plain({}) })));

const confirmDate = fc.oneof(text, fc.constantFrom('', TODAY, '2026-11-11', '2026-02-30', '2026-01-02', ' 2025-12-31 ', '1900-01-01', '0999-12-31', '2024-02-29'));
property('fuzz: Confirm members in bulk',
  fc.record({ panel: segment, f: form({
    confirmed_on: field(confirmDate), patient_id: field(idOrText(patients)), scope: field(fc.oneof(fc.constant('filter'), text)), return_to: field(returnTo),
  }) }), 50,
  async ({ panel, f }, before) => {
    const p = resolve(panel, memberPanels);
    const a = await post(app, `${PANELS}/${p}/confirmations`, cookie, f);
    expectStatus(a, [200, 303, 404, 422]);
    const after = await snapshot(db);
    if (refused(a, before, after)) return;
    if (a.status === 303) assert.ok(localTarget(a).startsWith(membersBase(p)), `redirect to ${a.location}`);
    expectOnly(before, after, ['panel_members', 'member_changes', 'member_change_rows']);
    const changed = rowsOf(after, 'panel_members').filter((r) => !row(before, 'panel_members', r));
    for (const m of changed) {
      const was = row(before, 'panel_members', { panel_id: m.panel_id, patient_id: m.patient_id });
      assert.is(was?.confirmed_on, null, 'bulk confirmation replaced a recorded date');
    }
    assert.is(rowsOf(after, 'panel_members').length, rowsOf(before, 'panel_members').length, 'members added or removed');
    for (const m of changed) {
      const date = String(m.confirmed_on);
      assert.ok(m.panel_id === Number(p), 'confirmed a member of another panel');
      assert.ok(isRealDate(date) && date <= TODAY, `stored confirmation date "${date}"`);
      assert.ok(date === TODAY || trimmed(f, 'confirmed_on').includes(date), `stored a date that was not sent: ${date}`);
      if (!sent(f, 'scope').includes('filter')) assert.ok(sent(f, 'patient_id').includes(String(m.patient_id)), 'confirmed someone not ticked');
    }
  }, [{ panel: { raw: String(sentPanel) }, f: plain({}) }]);

property('fuzz: Add members', fc.record({ panel: segment, f: form({ q: field(text), patient_id: field(idOrText(patients)) }) }), 40,
  async ({ panel, f }, before) => {
    const p = resolve(panel, memberPanels);
    const a = await post(app, `${PANELS}/${p}/members`, cookie, f);
    expectStatus(a, [200, 303, 404, 422]);
    const after = await snapshot(db);
    if (refused(a, before, after)) return;
    if (a.status === 303) assert.ok(localTarget(a).startsWith(`${PANELS}/${p}/candidates`), `redirect to ${a.location}`);
    expectOnly(before, after, ['panel_members']);
    for (const m of rowsOf(before, 'panel_members')) assert.ok(row(after, 'panel_members', m), 'a membership changed or went');
    for (const m of rowsOf(after, 'panel_members').filter((r) => !row(before, 'panel_members', r))) {
      assert.equal([m.panel_id, m.confirmed_on], [Number(p), null]);
      assert.ok(sent(f, 'patient_id').includes(String(m.patient_id)), 'added someone not ticked');
    }
  });

property('fuzz: Member list and candidate search (GET)',
  fc.record({ panel: segment, list: fc.boolean(), htmx: fc.boolean(), params: fc.array(fc.tuple(fc.constantFrom('q', 'page', 'problem', 'confirmed', 'added', 'removed', 'x'), text), { maxLength: 4 }) }), 40,
  async ({ panel, list, htmx, params }, before) => {
    const p = resolve(panel, memberPanels);
    const a = await get(app, `${PANELS}/${p}/${list ? 'members' : 'candidates'}?${new URLSearchParams(params)}`, cookie, htmx);
    expectStatus(a, [200, 404]);
    expectUnchanged(before, await snapshot(db));
    if (a.status === 404) expectMessage(a);
    else assert.match(a.body, list ? 'id="members"' : 'id="candidates"');
  });

// --- Ids in page addresses: every GET that takes one -----------------------------------------
const PAGES = [`${PANELS}/{id}`, `${PANELS}/{id}/edit`, `${PANELS}/{id}/submissions`, `${PANELS}/{id}/submission`,
  '/settings/cii-cpar/submissions/{id}', '/settings/practitioners/{id}/edit', '/inbox/{id}', '/settings/users?done=added&user={id}'];
property('fuzz: Ids in page addresses (GET)', fc.record({ id: segment, htmx: fc.boolean() }), 20, async ({ id, htmx }, before) => {
  for (const page of PAGES) { // every page with the same id
    const a = await get(app, page.replace('{id}', resolve(id, [...panelIds, ...practitioners])), cookie, htmx);
    expectStatus(a, [200, 303, 404]);
    if (a.status === 404) expectMessage(a);
    if (a.status === 303) localTarget(a);
  }
  expectUnchanged(before, await snapshot(db));
}, [{ id: { raw: BIG }, htmx: false }]);

// --- Practitioners: Practitioner ID ---------------------------------------------------------
property('fuzz: Practitioner ID',
  fc.record({ id: segment, f: form({ practitionerId: field(fc.oneof(text, fc.stringMatching(/^ ?[0-9]{3,11} ?$/))) }) }), 40,
  async ({ id, f }, before) => {
    const path = resolve(id, practitioners);
    const a = await post(app, `/settings/practitioners/${path}`, cookie, f);
    expectStatus(a, [204, 303, 404, 422]);
    const after = await snapshot(db);
    if (refused(a, before, after)) return;
    assert.is(localTarget(a), `/settings/practitioners#practitioner-${Number(path)}`);
    expectOnly(before, after, ['practitioners']);
    const stored = row(after, 'practitioners', { id: Number(path) })!.practitioner_id as string | null;
    assert.ok(stored === null ? trimmed(f, 'practitionerId').includes('') || lastValue(f, 'practitionerId') === undefined
      : /^[0-9]{5,9}$/.test(stored) && trimmed(f, 'practitionerId').includes(stored), `stored "${stored}"`);
  }, [{ id: { raw: BIG }, f: plain({ practitionerId: ['123456'] }) }]);

// --- Users (argon2 makes every accepted password cost ~50 ms: fewer runs) ------------------------
async function hashOfSent(hash: string, f: Form) {
  for (const p of sent(f, 'password')) if (await verifyPassword(hash, p)) return true;
  return false;
}
const goodPassword = fc.stringMatching(/^[a-z]{4} [a-z]{4} [a-z]{4} [0-9]{2}$/);
property('fuzz: Add a user', form({
  username: field(fc.oneof(text, fc.stringMatching(/^[a-z][a-z0-9._-]{1,10}$/), fc.constantFrom('fuzzer', 'CLERK'))),
  fullName: field(fc.oneof(text, fc.constant('Jan Smith'))),
  password: field(fc.oneof(text, goodPassword, fc.constantFrom('password1234', 'qwertyuiopas'))),
  permission: field(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PERMISSIONS) }, { weight: 1, arbitrary: text })),
}), 25, async (f, before) => {
  const a = await post(app, '/settings/users', cookie, f);
  expectStatus(a, [204, 303, 422]);
  const after = await snapshot(db);
  if (refused(a, before, after)) return;
  localTarget(a);
  expectOnly(before, after, ['users', 'user_permissions']);
  const added = rowsOf(after, 'users').filter((u) => !row(before, 'users', { id: u.id }));
  assert.is(added.length, 1);
  const u = added[0];
  assert.ok(/^[a-z0-9][a-z0-9._-]{1,31}$/i.test(String(u.username)) && trimmed(f, 'username').includes(String(u.username)));
  assert.ok(trimmed(f, 'fullName').includes(String(u.full_name)) && String(u.full_name) !== '');
  const held = rowsOf(after, 'user_permissions').filter((p) => p.user_id === u.id).map((p) => String(p.permission));
  assert.ok(held.every((p) => sent(f, 'permission').includes(p)), `permissions ${held}`);
  assert.ok(await hashOfSent(String(u.password_hash), f), 'the stored hash is not of a sent password');
}, [plain({ username: ['twice'], fullName: ['Twice'], password: ['a quiet lake at dawn'], permission: ['manage_users', 'manage_users'] }),
  plain({ username: ['nul'], fullName: ['\u0000x'], password: ['a quiet lake at dawn'] })]);

const userPool = Object.values(users);
property('fuzz: User permissions, disable, enable, password',
  fc.record({ action: fc.constantFrom('permissions', 'disable', 'enable', 'password'), id: segment, f: form({
    permission: field(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PERMISSIONS) }, { weight: 1, arbitrary: text })),
    password: field(fc.oneof(text, goodPassword)),
  }) }), 30,
  async ({ action, id, f }, before) => {
    const path = resolve(id, userPool);
    // A disabled user to enable now and then (the fixture is restored after each run).
    if (action === 'enable' && Number(path) === users.clerk) await db.execute({ sql: 'UPDATE users SET disabled_at = 1 WHERE id = ?', args: [users.clerk] });
    const start = action === 'enable' ? await snapshot(db) : before;
    const a = await post(app, `/settings/users/${path}/${action}`, cookie, f);
    expectStatus(a, [200, 303, 404, 409, 422]);
    const after = await snapshot(db);
    if (refused(a, start, after)) return;
    const target = Number(path);
    const was = row(start, 'users', { id: target })!;
    assert.ok(was, 'acted on a user that does not exist');
    const others = (s: Snapshot, t: string, k: string) => rowsOf(s, t).filter((r) => r[k] !== target);
    assert.equal(others(after, 'users', 'id'), others(start, 'users', 'id'), 'another user changed');
    const now = row(after, 'users', { id: target })!;
    if (action === 'permissions') {
      expectOnly(start, after, ['user_permissions']);
      const held = rowsOf(after, 'user_permissions').filter((p) => p.user_id === target).map((p) => String(p.permission));
      assert.ok(held.every((p) => sent(f, 'permission').includes(p)), `permissions ${held}`);
      assert.ok(rowsOf(after, 'user_permissions').some((p) => p.permission === 'manage_users'), 'nobody can manage users any more');
    } else {
      expectOnly(start, after, ['users']);
      if (action === 'disable') assert.ok(now.disabled_at !== null && target !== users.fuzzer);
      if (action === 'enable') assert.is(now.disabled_at, null);
      if (action === 'password') {
        assert.equal({ ...now, password_hash: was.password_hash }, was);
        assert.ok(await hashOfSent(String(now.password_hash), f), 'the stored hash is not of a sent password');
      }
    }
  }, [{ action: 'disable', id: { raw: BIG }, f: plain({}) }]);

// --- Audit log filters --------------------------------------------------------------------
const day = fc.oneof(text, fc.constantFrom('2026-11-10', '2026-02-30', '2026-13-05', '2026-00-10', '2026-11-31', ' 2026-01-01 '),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 33 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`));
property('fuzz: Audit log filters', form({
  user: field(fc.oneof(text, fc.constantFrom('fuzzer', 'FUZZER'))),
  uli: field(fc.oneof(text, fc.stringMatching(/^[0-9]{9}$/))),
  action: field(fc.oneof(fc.constantFrom(...AUDIT_ACTIONS), text)),
  from: field(day), to: field(day),
  page: field(fc.oneof(text, fc.nat().map(String), fc.constantFrom('1e15', '9007199254740991', '-3'))),
}), 60, async (f, before) => {
  const a = await post(app, '/settings/audit-log', cookie, f);
  expectStatus(a, [200, 422]);
  const after = await snapshot(db);
  if (refused(a, before, after)) return;
  const used = (name: string) => lastValue(f, name)?.trim() || undefined;
  for (const name of ['from', 'to']) {
    const value = used(name);
    assert.ok(value === undefined || isRealDate(value), `filtered by "${value}" as a date without a word`);
  }
  const uli = used('uli');
  assert.ok(uli === undefined || /^\d{9}$/.test(uli), `filtered by ULI "${uli}"`);
  const action = used('action');
  assert.ok(action === undefined || (AUDIT_ACTIONS as string[]).includes(action));
  assert.match(a.body, 'id="audit"');
}, [plain({ from: ['2026-13-05'] }), plain({ to: ['2026-00-10'] })]);

// --- Panels: deactivate, reactivate, delete (last: a raw id may delete Main) -------------------------------------------------
// Its own pool (the member properties keep using Main and Plain); a deleted one is replaced.
const lifecycle = [gone, sentPanel, await addPanel(db, 'Spare A'), await addPanel(db, 'Spare B', { active: false })];
property('fuzz: Deactivate, reactivate or delete a panel',
  fc.record({ action: fc.constantFrom('deactivation', 'activation', 'deletion'), id: segment, f: form({ confirm: field(text) }) }), 40,
  async ({ action, id, f }, before) => {
    const path = resolve(id, lifecycle);
    const a = await post(app, `${PANELS}/${path}/${action}`, cookie, f);
    expectStatus(a, [200, 303, 404, 409]);
    const after = await snapshot(db);
    if (refused(a, before, after)) return;
    const panelId = Number(path);
    const was = row(before, 'panels', { id: panelId })!;
    assert.ok(was, 'acted on a panel that does not exist');
    if (action === 'deletion') {
      assert.not.ok(row(after, 'panels', { id: panelId }));
      assert.not.ok(row(before, 'submissions', { panel_id: panelId }), 'deleted a panel with submissions');
      expectOnly(before, after, ['panels', 'panel_practitioners', 'panel_members']);
      lifecycle[lifecycle.indexOf(panelId)] = await addPanel(db, `Spare ${panelId}`); // keep the pool full
    } else {
      expectOnly(before, after, ['panels']);
      assert.equal({ ...row(after, 'panels', { id: panelId }), active: was.active }, was, 'changed more than active');
      assert.is(row(after, 'panels', { id: panelId })!.active, action === 'activation' ? 1 : 0);
      assert.is(was.active, action === 'activation' ? 0 : 1);
    }
  }, [{ action: 'deactivation', id: { raw: BIG }, f: plain({}) }]);

// --- Sign-in (its own database: failures are throttled per address) --------------------------
{
  const signInDb = await freshDb();
  await addUser(signInDb, 'fuzzer');
  const login = testApp(signInDb);
  const test = suite('fuzz: Sign in');
  test('never a 5xx; a refusal is the one message and changes nothing; a sign-in stays on this site', async () => {
    await fc.assert(fc.asyncProperty(form({
      username: field(fc.oneof(text, fc.constantFrom('fuzzer', ' FUZZER '))),
      password: field(fc.oneof(text, fc.constant(PASSWORD))),
      next: field(fc.oneof(text, fc.constantFrom('/inbox', '//evil.example', '/\\evil.example', 'https://evil.example', '/settings/users?x=1#y'))),
    }), async (f) => {
      login.clock.advance(20 * 60_000); // past the throttle window: both outcomes stay reachable
      const before = await snapshot(signInDb);
      const a = await post(login.app, '/login', '', f);
      expectStatus(a, [303, 401, 422]);
      const after = await snapshot(signInDb);
      if (refused(a, before, after)) {
        // Over its cap (256 / 1,024 characters) a field is refused as such, before any check.
        const tooLong = (lastValue(f, 'username')?.trim().length ?? 0) > 256 || (lastValue(f, 'password')?.length ?? 0) > 1024;
        assert.is(a.status, tooLong ? 422 : 401);
        assert.match(a.body, tooLong ? / are at most [\d,]+ characters\./ : 'The username or password is not correct.');
        return;
      }
      expectUnchanged(before, after);
      assert.is(lastValue(f, 'password'), PASSWORD);
      assert.is(lastValue(f, 'username')?.trim().toLowerCase(), 'fuzzer');
      localTarget(a);
    }), runs(25));
  });
  test.run();
}
