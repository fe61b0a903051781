import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import { COUNTED_SINCE, signInRefusedUntil } from './sign-in-locks.ts';
import { THROTTLE, type ThrottlePolicy } from './sign-in-policy.ts';

export const USERNAME_KEPT = 64;

export type Reservation = { ok: true; attemptId: number } | { ok: false; until: Date };

/**
 * Records a sign-in attempt as failed BEFORE its password is checked, in one statement, and
 * only while every limit and the delay allow it: concurrent guesses each see the others' rows,
 * so no more are ever checked than the rules allow, across every portal process (issue 13: 45
 * of 100 were). A refusal is recorded too, with the instant it ends. The same for a username
 * that exists and one that does not.
 */
export async function reserveSignInAttempt(db: Db, clock: Clock, username: string, address: string,
  policy: ThrottlePolicy = THROTTLE): Promise<Reservation> {
  const now = clock.now().getTime();
  const name = username.slice(0, USERNAME_KEPT);
  const args = {
    now, name, address, windowStart: now - policy.windowMs, perPair: policy.perPair, perUsername: policy.perUsername,
    perAddress: policy.perAddress, free: policy.freeFailures, first: policy.firstDelayMs, max: policy.maxDelayMs,
  };
  const [reserved] = await db.batch(
    [
      {
        sql: `INSERT INTO sign_in_attempts (at, username, address, succeeded, refused)
              SELECT :now, :name, :address, 0, 0
                FROM (SELECT count(*) AS failures, coalesce(sum(address = :address), 0) AS pair, max(at) AS last
                        FROM sign_in_attempts
                       WHERE username = :name AND succeeded = 0 AND refused = 0 AND at > :windowStart
                         AND at > ${COUNTED_SINCE(':name')}) AS u
               WHERE u.pair < :perPair AND u.failures < :perUsername
                 AND (u.failures < :free OR :now >= u.last + min(:first << min(u.failures - :free, 30), :max))
                 AND (SELECT count(*) FROM sign_in_attempts WHERE address = :address AND succeeded = 0 AND at > :windowStart) < :perAddress
              RETURNING id`,
        args,
      },
      // Attempts and lifts older than a day matter to nobody: the audit log keeps the history.
      { sql: 'DELETE FROM sign_in_attempts WHERE at < ?', args: [now - 24 * 3600_000] },
      { sql: 'DELETE FROM sign_in_lock_lifts WHERE at < ?', args: [now - 24 * 3600_000] },
    ],
    'write',
  );
  if (reserved.rows[0]) return { ok: true, attemptId: Number(reserved.rows[0].id) };
  await db.execute({
    sql: 'INSERT INTO sign_in_attempts (at, username, address, succeeded, refused) VALUES (?, ?, ?, 0, 1)',
    args: [now, name, address],
  });
  return { ok: false, until: await signInRefusedUntil(db, clock, name, address, policy) };
}

/** The reserved attempt turned out right: it clears the username's failures. */
export async function markSignInSucceeded(db: Db, attemptId: number): Promise<void> {
  await db.execute({ sql: 'UPDATE sign_in_attempts SET succeeded = 1 WHERE id = ?', args: [attemptId] });
}
