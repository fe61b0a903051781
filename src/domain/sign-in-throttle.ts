import type { Db } from './db.ts';
import type { Clock } from './clock.ts';

export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** failures for one username, since its last success, within the window */
export const MAX_FAILURES_PER_USERNAME = 5;
/** failures from one address within the window, whatever the usernames */
export const MAX_FAILURES_PER_ADDRESS = 20;

/**
 * True when sign-in for this username or from this address is refused for now. Counted in
 * the database, so the limit holds across every portal process.
 */
export async function isSignInThrottled(db: Db, clock: Clock, username: string, address: string): Promise<boolean> {
  const since = clock.now().getTime() - THROTTLE_WINDOW_MS;
  const result = await db.execute({
    sql: `SELECT
            (SELECT count(*) FROM sign_in_attempts
              WHERE username = ?1 AND succeeded = 0
                AND at > max(?3, coalesce((SELECT max(at) FROM sign_in_attempts WHERE username = ?1 AND succeeded = 1), 0))
            ) AS by_username,
            (SELECT count(*) FROM sign_in_attempts WHERE address = ?2 AND succeeded = 0 AND at > ?3) AS by_address`,
    args: [username, address, since],
  });
  const row = result.rows[0];
  return Number(row.by_username) >= MAX_FAILURES_PER_USERNAME || Number(row.by_address) >= MAX_FAILURES_PER_ADDRESS;
}

export async function recordSignInAttempt(db: Db, clock: Clock, username: string, address: string, succeeded: boolean): Promise<void> {
  const now = clock.now().getTime();
  await db.batch(
    [
      {
        sql: 'INSERT INTO sign_in_attempts (at, username, address, succeeded) VALUES (?, ?, ?, ?)',
        args: [now, username.slice(0, 64), address, succeeded ? 1 : 0],
      },
      // Attempts older than a day matter to nobody: the audit log keeps the history.
      { sql: 'DELETE FROM sign_in_attempts WHERE at < ?', args: [now - 24 * 3600_000] },
    ],
    'write',
  );
}
