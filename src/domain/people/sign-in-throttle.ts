import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';

export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** failures for one username, since its last success, within the window */
export const MAX_FAILURES_PER_USERNAME = 5;
/** failures from one address within the window, whatever the usernames */
export const MAX_FAILURES_PER_ADDRESS = 20;

const USERNAME_KEPT = 64;

/**
 * Records a sign-in attempt as failed BEFORE its password is checked, in one statement, and
 * only while the limits allow it: concurrent guesses each see the others' rows, so no more
 * than the limit are ever checked, across every portal process (issue 13: 45 of 100 were).
 * Returns the attempt's id to mark a success, or null when sign-in is refused for now (the
 * refused attempt is recorded too).
 */
export async function reserveSignInAttempt(db: Db, clock: Clock, username: string, address: string): Promise<number | null> {
  const now = clock.now().getTime();
  const name = username.slice(0, USERNAME_KEPT);
  const [reserved] = await db.batch(
    [
      {
        sql: `INSERT INTO sign_in_attempts (at, username, address, succeeded)
              SELECT ?4, ?1, ?2, 0
               WHERE (SELECT count(*) FROM sign_in_attempts
                       WHERE username = ?1 AND succeeded = 0
                         AND at > max(?3, coalesce((SELECT max(at) FROM sign_in_attempts WHERE username = ?1 AND succeeded = 1), 0))
                     ) < ?5
                 AND (SELECT count(*) FROM sign_in_attempts WHERE address = ?2 AND succeeded = 0 AND at > ?3) < ?6
              RETURNING id`,
        args: [name, address, now - THROTTLE_WINDOW_MS, now, MAX_FAILURES_PER_USERNAME, MAX_FAILURES_PER_ADDRESS],
      },
      // Attempts older than a day matter to nobody: the audit log keeps the history.
      { sql: 'DELETE FROM sign_in_attempts WHERE at < ?', args: [now - 24 * 3600_000] },
    ],
    'write',
  );
  if (reserved.rows[0]) return Number(reserved.rows[0].id);
  await db.execute({
    sql: 'INSERT INTO sign_in_attempts (at, username, address, succeeded) VALUES (?, ?, ?, 0)',
    args: [now, name, address],
  });
  return null;
}

/** The reserved attempt turned out right: it clears the username's failures. */
export async function markSignInSucceeded(db: Db, attemptId: number): Promise<void> {
  await db.execute({ sql: 'UPDATE sign_in_attempts SET succeeded = 1 WHERE id = ?', args: [attemptId] });
}
