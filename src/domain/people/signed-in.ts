import type { Db } from '../database/db.ts';
import { readRow } from '../database/prepared-read.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from './permissions.ts';
import { liveSession, splitToken, SESSION_COLUMNS, type Session } from './sessions.ts';
import { scopeOf } from './users.ts';

/** dataVersion: the pages' data version (data-version.ts) as of the same read. */
export type SignedIn = { session: Session; scope: Scope; unread: number; dataVersion: number };

// What every signed-in request needs, in one statement: the session, its user if still
// enabled, the permissions held now, the unread count of the inbox and the data's version
// (one round trip instead of two on a libSQL server).
const SIGNED_IN_SQL = `
  SELECT ${SESSION_COLUMNS}, u.username, u.full_name,
         (SELECT group_concat(permission) FROM user_permissions WHERE user_id = u.id) AS permissions,
         (SELECT count(*) FROM inbox_messages WHERE recipient_id = u.id AND read_at IS NULL) AS unread,
         (SELECT version FROM data_version) AS data_version
    FROM sessions s LEFT JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL
   WHERE s.id = ?`;

/**
 * The live session of a token with its enabled user's scope and unread count, or null: no
 * such session, a wrong secret, an expired session (deleted) or a disabled user.
 */
export async function loadSignedIn(db: Db, clock: Clock, token: string): Promise<SignedIn | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const row = await readRow(db, SIGNED_IN_SQL, [parts.id]);
  if (!row) return null;
  const session = await liveSession(db, clock, parts.secret, row);
  if (!session || row.username === null) return null;
  return { session, scope: scopeOf(row), unread: Number(row.unread), dataVersion: Number(row.data_version) };
}
