import type { InStatement } from '@libsql/client';
import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import { createUser, checkNewUser, type NewUser, type UserError } from './users.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { isCommonPassword } from './common-passwords.ts';
import { isPermission, PERMISSIONS, type Permission, type Scope } from './permissions.ts';

// Long enough for any passphrase; bounds the work argon2 does for one request.
export const MAX_PASSWORD_LENGTH = 256;

export type ManagedUser = {
  id: number;
  username: string;
  fullName: string;
  permissions: Permission[];
  disabled: boolean;
};

export type AdminRefusal = 'not_found' | 'self' | 'last_admin';
export type AdminResult = { ok: true; user: ManagedUser; changed: boolean } | { ok: false; reason: AdminRefusal; user?: ManagedUser };

/**
 * The password policy (NIST SP 800-63B): a minimum length counted in Unicode code points, not
 * bytes; nothing from the list of common passwords; not containing the username; not blank and
 * not a repeat of a few characters (issue 13). Null when acceptable.
 */
const MIN_DIFFERENT_CHARACTERS = 5;

export function checkPassword(password: string, username: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long; this one has ${length}.`;
  }
  if (length > MAX_PASSWORD_LENGTH) return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  if (password.trim() === '') return 'The password cannot be only spaces.';
  if (username !== '' && password.toLowerCase().includes(username.toLowerCase())) {
    return 'The password cannot contain the username.';
  }
  // Twelve of one or two characters ("abababababab") is long but guessed at once.
  if (new Set(password).size < MIN_DIFFERENT_CHARACTERS) {
    return `The password must use at least ${MIN_DIFFERENT_CHARACTERS} different characters.`;
  }
  if (isCommonPassword(password)) {
    return 'This password is on the list of the most common passwords, which are guessed first. Choose another.';
  }
  return null;
}

const SELECT_USERS = `SELECT u.id, u.username, u.full_name, u.disabled_at IS NOT NULL AS disabled,
         (SELECT group_concat(permission) FROM user_permissions p WHERE p.user_id = u.id) AS permissions
    FROM users u`;

function toUser(row: Record<string, unknown>): ManagedUser {
  const held = new Set(String(row.permissions ?? '').split(','));
  return {
    id: Number(row.id),
    username: String(row.username),
    fullName: String(row.full_name),
    permissions: PERMISSIONS.filter((p) => held.has(p)),
    disabled: Boolean(Number(row.disabled)),
  };
}

/** Every user, enabled or not, by username. */
export async function listUsers(db: Db): Promise<ManagedUser[]> {
  const result = await db.execute(`${SELECT_USERS} ORDER BY u.username COLLATE NOCASE`);
  return result.rows.map((row) => toUser(row));
}

export async function getUser(db: Db, id: number): Promise<ManagedUser | null> {
  const result = await db.execute({ sql: `${SELECT_USERS} WHERE u.id = ?`, args: [id] });
  return result.rows[0] ? toUser(result.rows[0]) : null;
}

/** Adds a user with a password the administrator chose, under the password policy. */
export async function addUser(db: Db, clock: Clock, _scope: Scope, input: NewUser): Promise<{ ok: true; id: number } | { ok: false; errors: UserError[] }> {
  const errors = checkNewUser(input).filter((e) => e.field !== 'password');
  const passwordProblem = checkPassword(input.password, input.username);
  if (passwordProblem) errors.push({ field: 'password', message: passwordProblem });
  if (errors.length) return { ok: false, errors };
  try {
    return await createUser(db, clock, input);
  } catch (error) {
    // Two administrators adding the same username at once: the unique index decides.
    if (/UNIQUE constraint failed: users\.username/.test(String(error))) {
      return { ok: false, errors: [{ field: 'username', message: `The username "${input.username}" is taken.` }] };
    }
    throw error;
  }
}

// "Someone else can still manage users": an enabled user other than ?1 holding manage_users.
const ANOTHER_ADMIN = `EXISTS (SELECT 1 FROM user_permissions p JOIN users u ON u.id = p.user_id
                               WHERE p.permission = 'manage_users' AND u.disabled_at IS NULL AND u.id <> ?1)`;

/**
 * Runs guarded statements as one write batch (a single BEGIN IMMEDIATE transaction): the rule
 * that someone can still manage users is checked by the statements that write, inside the
 * same transaction, so two administrators acting at once cannot both pass it. The first
 * statement reads whether the user exists and whether the guard held.
 */
async function guardedWrite(db: Db, userId: number, check: InStatement, writes: InStatement[], refusal: AdminRefusal): Promise<AdminResult> {
  const [checked, ...written] = await db.batch([check, ...writes], 'write');
  const row = checked.rows[0];
  if (!row) return { ok: false, reason: 'not_found' };
  const user = (await getUser(db, userId))!;
  if (!Number(row.allowed)) return { ok: false, reason: refusal, user };
  return { ok: true, user, changed: written.some((r) => r.rowsAffected > 0) };
}

/**
 * Gives the user exactly these permissions. Refused when it would leave no enabled user able
 * to manage users (an administrator removing it from themselves while the last one holding it).
 */
export function setPermissions(db: Db, _scope: Scope, userId: number, permissions: Permission[]): Promise<AdminResult> {
  const wanted = JSON.stringify(PERMISSIONS.filter((p) => permissions.includes(p)));
  // Refused only when the user holds manage_users, loses it, is enabled and is the last one.
  const allowed = `('manage_users' IN (SELECT value FROM json_each(?2))
                    OR NOT EXISTS (SELECT 1 FROM user_permissions WHERE user_id = ?1 AND permission = 'manage_users')
                    OR (SELECT disabled_at FROM users WHERE id = ?1) IS NOT NULL OR ${ANOTHER_ADMIN})`;
  return guardedWrite(db, userId,
    { sql: `SELECT ${allowed} AS allowed FROM users WHERE id = ?1`, args: [userId, wanted] },
    [
      { sql: `DELETE FROM user_permissions WHERE user_id = ?1 AND permission NOT IN (SELECT value FROM json_each(?2)) AND ${allowed}`, args: [userId, wanted] },
      { sql: `INSERT OR IGNORE INTO user_permissions (user_id, permission)
              SELECT ?1, value FROM json_each(?2) WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1) AND ${allowed}`, args: [userId, wanted] },
    ], 'last_admin');
}

/** Disables a user: they cannot sign in, and every session they had ends now. */
export async function disableUser(db: Db, clock: Clock, scope: Scope, userId: number): Promise<AdminResult> {
  if (userId === scope.userId) {
    const user = await getUser(db, userId);
    return user ? { ok: false, reason: 'self', user } : { ok: false, reason: 'not_found' };
  }
  const allowed = `(disabled_at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM user_permissions WHERE user_id = ?1 AND permission = 'manage_users')
                    OR ${ANOTHER_ADMIN})`;
  return guardedWrite(db, userId,
    { sql: `SELECT ${allowed} AS allowed FROM users WHERE id = ?1`, args: [userId] },
    [
      { sql: `UPDATE users SET disabled_at = ?2 WHERE id = ?1 AND disabled_at IS NULL AND ${allowed}`, args: [userId, clock.now().getTime()] },
      // Whoever is disabled now has no session left, whatever happened before.
      { sql: 'DELETE FROM sessions WHERE user_id = ?1 AND (SELECT disabled_at FROM users WHERE id = ?1) IS NOT NULL', args: [userId] },
    ], 'last_admin');
}

export function enableUser(db: Db, _scope: Scope, userId: number): Promise<AdminResult> {
  return guardedWrite(db, userId,
    { sql: 'SELECT 1 AS allowed FROM users WHERE id = ?', args: [userId] },
    [{ sql: 'UPDATE users SET disabled_at = NULL WHERE id = ? AND disabled_at IS NOT NULL', args: [userId] }],
    'not_found');
}

/**
 * Sets a new password chosen by an administrator and ends the user's sessions — all but the
 * acting one (`keepSessionId`), so an administrator resetting their own stays signed in here.
 */
export async function resetPassword(db: Db, _scope: Scope, userId: number, password: string, keepSessionId: string):
  Promise<AdminResult | { ok: false; reason: 'policy'; message: string; user: ManagedUser }> {
  const user = await getUser(db, userId);
  if (!user) return { ok: false, reason: 'not_found' };
  const problem = checkPassword(password, user.username);
  if (problem) return { ok: false, reason: 'policy', message: problem, user };
  const passwordHash = await hashPassword(password);
  return guardedWrite(db, userId,
    { sql: 'SELECT 1 AS allowed FROM users WHERE id = ?', args: [userId] },
    [
      { sql: 'UPDATE users SET password_hash = ? WHERE id = ?', args: [passwordHash, userId] },
      { sql: 'DELETE FROM sessions WHERE user_id = ? AND id <> ?', args: [userId, keepSessionId] },
    ], 'not_found');
}

/** The permissions named in a submitted form, and any name that is not a permission. */
export function parsePermissions(values: string[]): { permissions: Permission[]; unknown: string[] } {
  return { permissions: values.filter(isPermission), unknown: values.filter((v) => !isPermission(v)) };
}
