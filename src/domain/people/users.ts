import type { Db } from '../database/db.ts';
import { lineProblem } from '../panels/text.ts';
import type { Clock } from '../time/clock.ts';
import { hashPassword, verifyAgainstNothing, verifyPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { isPermission, type Permission, type Scope } from './permissions.ts';

export type NewUser = {
  username: string;
  fullName: string;
  password: string;
  permissions: Permission[];
};

export type UserError = { field: 'username' | 'fullName' | 'password' | 'permission'; message: string };

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/i;

export function checkNewUser(user: NewUser): UserError[] {
  const errors: UserError[] = [];
  if (!USERNAME.test(user.username)) {
    errors.push({ field: 'username', message: 'Username must be 2–32 letters, digits, dots, dashes or underscores.' });
  }
  const nameTrouble = lineProblem(user.fullName);
  if (user.fullName.trim() === '') errors.push({ field: 'fullName', message: 'Full name is required.' });
  else if (nameTrouble) errors.push({ field: 'fullName', message: `The full name ${nameTrouble}.` });
  if ([...user.password].length < MIN_PASSWORD_LENGTH) {
    errors.push({ field: 'password', message: `Password must be at least ${MIN_PASSWORD_LENGTH} characters.` });
  }
  for (const p of user.permissions) {
    if (!isPermission(p)) errors.push({ field: 'permission', message: `Unknown permission "${p}".` });
  }
  return errors;
}

export async function createUser(
  db: Db,
  clock: Clock,
  user: NewUser,
): Promise<{ ok: true; id: number } | { ok: false; errors: UserError[] }> {
  const errors = checkNewUser(user);
  if (errors.length) return { ok: false, errors };
  const passwordHash = await hashPassword(user.password);
  const taken = await db.execute({ sql: 'SELECT 1 FROM users WHERE username = ?', args: [user.username] });
  if (taken.rows.length) {
    return { ok: false, errors: [{ field: 'username', message: `The username "${user.username}" is taken.` }] };
  }
  const [inserted] = await db.batch(
    [
      {
        sql: 'INSERT INTO users (username, full_name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id',
        args: [user.username, user.fullName.trim(), passwordHash, clock.now().getTime()],
      },
      ...[...new Set(user.permissions)].map((permission) => ({
        sql: 'INSERT INTO user_permissions (user_id, permission) VALUES (last_insert_rowid(), ?)',
        args: [permission],
      })),
    ],
    'write',
  );
  return { ok: true, id: Number(inserted.rows[0].id) };
}

/** Checks a username and password; unknown users and wrong passwords look the same. */
export async function authenticate(db: Db, username: string, password: string): Promise<number | null> {
  const result = await db.execute({
    sql: 'SELECT id, password_hash FROM users WHERE username = ? AND disabled_at IS NULL',
    args: [username],
  });
  const row = result.rows[0];
  if (!row) return verifyAgainstNothing(password).then(() => null);
  return (await verifyPassword(String(row.password_hash), password)) ? Number(row.id) : null;
}

/** Loads the acting user with the permissions they hold now (read on every request). */
export async function loadScope(db: Db, userId: number): Promise<Scope | null> {
  const result = await db.execute({
    sql: `SELECT u.id AS user_id, u.username, u.full_name, group_concat(p.permission) AS permissions
            FROM users u LEFT JOIN user_permissions p ON p.user_id = u.id
           WHERE u.id = ? AND u.disabled_at IS NULL
           GROUP BY u.id`,
    args: [userId],
  });
  return result.rows[0] ? scopeOf(result.rows[0]) : null;
}

/** A scope from a row of a user's user_id, username, full_name and comma-separated permissions. */
export function scopeOf(row: Record<string, unknown>): Scope {
  const permissions = String(row.permissions ?? '').split(',').filter(isPermission);
  return {
    userId: Number(row.user_id),
    username: String(row.username),
    fullName: String(row.full_name),
    permissions: new Set(permissions),
  };
}

/**
 * The enabled users who hold a permission, by name: whom to ask when the reader cannot do
 * something themselves (fix a failed panel, add a Practitioner ID).
 */
export async function enabledUsersWith(db: Db, permission: Permission): Promise<string[]> {
  const result = await db.execute({
    sql: `SELECT u.full_name FROM users u
           WHERE u.disabled_at IS NULL
             AND EXISTS (SELECT 1 FROM user_permissions up WHERE up.user_id = u.id AND up.permission = ?)
           ORDER BY u.full_name COLLATE NOCASE, u.id`,
    args: [permission],
  });
  return result.rows.map((r) => String(r.full_name));
}
