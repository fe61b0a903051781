import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../../src/domain/database/db.ts';
import { ManualClock } from '../../../src/domain/time/clock.ts';
import { authenticate, loadScope } from '../../../src/domain/people/users.ts';
import { createSession } from '../../../src/domain/people/sessions.ts';
import { isCommonPassword } from '../../../src/domain/people/common-passwords.ts';
import { addUser as addManagedUser, checkPassword, disableUser, enableUser, listUsers, resetPassword, setPermissions } from '../../../src/domain/people/user-admin.ts';
import type { Scope } from '../../../src/domain/people/permissions.ts';
import { freshDb, addUser, count } from '../../support/app.ts';

const clock = new ManualClock('2026-11-10T12:00:00-07:00');
const scopeOf = async (db: Db, id: number) => (await loadScope(db, id)) as Scope;

const policy = suite('password policy');

policy('11 characters are refused with a message that says how many are needed', () => {
  assert.match(checkPassword('abcdefghij1', 'pat') ?? '', 'at least 12 characters');
});

policy('length counts characters, not bytes or UTF-16 units', () => {
  assert.is(checkPassword('ĉŝĝĥĵŭĉŝĝĥĵŭ', 'pat'), null); // 12 characters, 24 bytes
  const emoji = (n: number) => [...'🔒🔑🚪🔐🛡'.repeat(3)].slice(0, n).join('');
  assert.match(checkPassword(emoji(11), 'pat') ?? '', 'this one has 11'); // 22 UTF-16 units, 44 bytes
  assert.is(checkPassword(emoji(12), 'pat'), null);
});

policy('a common password is refused whatever its case', () => {
  for (const p of ['password1234', 'PASSWORD1234', 'Qwerty123456', '1Q2W3E4R5T6Y']) {
    assert.match(checkPassword(p, 'pat') ?? '', 'most common passwords', p);
  }
  assert.ok(isCommonPassword('123456'));
  assert.not.ok(isCommonPassword('a quiet lake at dawn'));
});

policy('the username itself is refused as the password, whatever its case', () => {
  assert.match(checkPassword('Jane.Longname', 'jane.longname') ?? '', 'cannot contain the username');
});

policy('a password containing the username, in any case, is refused (issue 13)', () => {
  assert.match(checkPassword('jane.longname!', 'jane.longname') ?? '', 'cannot contain the username');
  assert.match(checkPassword('patpatpatpat', 'pat') ?? '', 'cannot contain the username');
  assert.match(checkPassword('my PAT is ready now', 'pat') ?? '', 'cannot contain the username');
  assert.is(checkPassword('a quiet lake at dawn', 'jane.longname'), null);
});

policy('whitespace only, or too few different characters, is refused with the reason (issue 13)', () => {
  assert.match(checkPassword(' '.repeat(12), 'pat') ?? '', 'only spaces');
  assert.match(checkPassword('\t \n'.repeat(5), 'pat') ?? '', 'only spaces');
  assert.match(checkPassword('abababababab', 'pat') ?? '', 'at least 5 different characters');
  assert.match(checkPassword('aaaabbbbcccc1111', 'pat') ?? '', 'at least 5 different characters');
  assert.is(checkPassword('aaaabbbbcccc1112x', 'pat'), null);
});

policy.run();

const admin = suite('user administration');
let db: Db;
const ids: Record<string, number> = {};

admin.before.each(async () => {
  db = await freshDb();
  ids.boss = await addUser(db, 'boss', ['manage_users', 'cii_cpar_settings']);
  ids.clerk = await addUser(db, 'clerk', ['cii_cpar_settings']);
});

admin('a user is added with the password and permissions chosen, and can sign in', async () => {
  const result = await addManagedUser(db, clock, await scopeOf(db, ids.boss),
    { username: 'newbie', fullName: 'New Bie', password: 'a quiet lake at dawn', permissions: ['cii_cpar_settings'] });
  assert.ok(result.ok);
  assert.is(await authenticate(db, 'newbie', 'a quiet lake at dawn'), result.ok ? result.id : -1);
  const listed = (await listUsers(db)).find((u) => u.username === 'newbie');
  assert.equal(listed?.permissions, ['cii_cpar_settings']);
});

admin('a taken username (any case) and a weak password are both reported, nothing added', async () => {
  const result = await addManagedUser(db, clock, await scopeOf(db, ids.boss),
    { username: 'CLERK', fullName: 'Dup', password: 'password1234', permissions: [] });
  assert.not.ok(result.ok);
  assert.equal(!result.ok && result.errors.map((e) => e.field), ['password']);
  const taken = await addManagedUser(db, clock, await scopeOf(db, ids.boss),
    { username: 'CLERK', fullName: 'Dup', password: 'a quiet lake at dawn', permissions: [] });
  assert.equal(!taken.ok && taken.errors.map((e) => e.field), ['username']);
  assert.is(await count(db, 'SELECT count(*) FROM users'), 2);
});

admin('the last enabled administrator cannot remove manage_users from themselves', async () => {
  const result = await setPermissions(db, await scopeOf(db, ids.boss), ids.boss, ['cii_cpar_settings']);
  assert.equal(result.ok ? 'ok' : result.reason, 'last_admin');
  assert.is(await count(db, "SELECT count(*) FROM user_permissions WHERE user_id = ? AND permission = 'manage_users'", [ids.boss]), 1);
});

admin('a disabled holder does not count as another administrator', async () => {
  const other = await addUser(db, 'other', ['manage_users']);
  await db.execute({ sql: 'UPDATE users SET disabled_at = 1 WHERE id = ?', args: [other] });
  const result = await setPermissions(db, await scopeOf(db, ids.boss), ids.boss, []);
  assert.equal(result.ok ? 'ok' : result.reason, 'last_admin');
});

admin('with another enabled administrator, removing your own manage_users works', async () => {
  await addUser(db, 'other', ['manage_users']);
  const result = await setPermissions(db, await scopeOf(db, ids.boss), ids.boss, ['cii_cpar_settings']);
  assert.ok(result.ok && result.changed);
  assert.equal((await loadScope(db, ids.boss))?.permissions, new Set(['cii_cpar_settings']));
});

admin('two administrators removing each other at once leave one of them able to manage users', async () => {
  const other = await addUser(db, 'other', ['manage_users']);
  const [a, b] = await Promise.all([
    setPermissions(db, await scopeOf(db, ids.boss), other, []),
    setPermissions(db, await scopeOf(db, other), ids.boss, []),
  ]);
  assert.equal([a.ok, b.ok].sort(), [false, true]);
  assert.is(await count(db, "SELECT count(*) FROM user_permissions WHERE permission = 'manage_users'"), 1);
});

admin('saving the same permissions changes nothing and says so', async () => {
  const result = await setPermissions(db, await scopeOf(db, ids.boss), ids.clerk, ['cii_cpar_settings']);
  assert.ok(result.ok && !result.changed);
});

admin('disabling ends every session of the user and blocks sign-in; enabling lets them back', async () => {
  await createSession(db, clock, ids.clerk);
  await createSession(db, clock, ids.clerk);
  const result = await disableUser(db, clock, await scopeOf(db, ids.boss), ids.clerk);
  assert.ok(result.ok && result.user.disabled);
  assert.is(await count(db, 'SELECT count(*) FROM sessions WHERE user_id = ?', [ids.clerk]), 0);
  assert.is(await authenticate(db, 'clerk', 'correct horse battery'), null);
  assert.ok((await enableUser(db, await scopeOf(db, ids.boss), ids.clerk)).ok);
  assert.is(await authenticate(db, 'clerk', 'correct horse battery'), ids.clerk);
});

admin('an administrator cannot disable themselves; the last administrator cannot be disabled', async () => {
  const self = await disableUser(db, clock, await scopeOf(db, ids.boss), ids.boss);
  assert.equal(self.ok ? 'ok' : self.reason, 'self');
  // Only reachable in a race (the actor is an administrator); the rule holds in the domain anyway.
  const clerkScope = { ...(await scopeOf(db, ids.clerk)) };
  const last = await disableUser(db, clock, clerkScope, ids.boss);
  assert.equal(last.ok ? 'ok' : last.reason, 'last_admin');
  assert.is(await count(db, 'SELECT count(*) FROM users WHERE disabled_at IS NOT NULL'), 0);
});

admin('resetting a password ends the user’s sessions except the acting one, and the new one works', async () => {
  const { session: theirs } = await createSession(db, clock, ids.clerk);
  const refused = await resetPassword(db, await scopeOf(db, ids.boss), ids.clerk, 'clerk', theirs.id);
  assert.equal(refused.ok ? 'ok' : refused.reason, 'policy');
  const mine = await createSession(db, clock, ids.boss);
  const result = await resetPassword(db, await scopeOf(db, ids.boss), ids.clerk, 'a brand new passphrase', mine.session.id);
  assert.ok(result.ok);
  assert.is(await count(db, 'SELECT count(*) FROM sessions WHERE user_id = ?', [ids.clerk]), 0);
  assert.is(await count(db, 'SELECT count(*) FROM sessions WHERE user_id = ?', [ids.boss]), 1);
  assert.is(await authenticate(db, 'clerk', 'a brand new passphrase'), ids.clerk);
  assert.is(await authenticate(db, 'clerk', 'correct horse battery'), null);
});

admin('an unknown user is not found', async () => {
  const result = await setPermissions(db, await scopeOf(db, ids.boss), 9999, []);
  assert.equal(result.ok ? 'ok' : result.reason, 'not_found');
});

admin.run();
