import type { Db } from '../database/db.ts';
import type { Clock } from '../time/clock.ts';
import type { Scope } from './permissions.ts';
import { getUser, type ManagedUser } from './user-admin.ts';
import { addressRefusedUntil, refusedUntil, THROTTLE, type Failure, type ThrottlePolicy } from './sign-in-policy.ts';

/** SQL: the instant after which a username's failures count: its last success or lifted lock. */
export const COUNTED_SINCE = (name: string) => `max(
    coalesce((SELECT max(s.at) FROM sign_in_attempts s WHERE s.username = ${name} AND s.succeeded = 1), 0),
    coalesce((SELECT max(l.at) FROM sign_in_lock_lifts l WHERE l.username = ${name}), 0))`;

// Counted failures: verified and wrong (not refused), in the window, since the reset.
const COUNTED = `SELECT a.username, a.address, a.at FROM sign_in_attempts a
  WHERE a.succeeded = 0 AND a.refused = 0 AND a.at > :windowStart AND a.at > ${COUNTED_SINCE('a.username')}`;

/** A user's sign-in is refused now, from some address or from all, until `until`. */
export type SignInLock = { until: Date; failures: number; addresses: number };

/** Until when an attempt for this username from this address is refused: what the sign-in page says. */
export async function signInRefusedUntil(db: Db, clock: Clock, username: string, address: string,
  policy: ThrottlePolicy = THROTTLE): Promise<Date> {
  const now = clock.now().getTime();
  const windowStart = now - policy.windowMs;
  const [counted, fromAddress] = await db.batch([
    { sql: `${COUNTED} AND a.username = :name ORDER BY a.at`, args: { windowStart, name: username } },
    { sql: 'SELECT at FROM sign_in_attempts WHERE address = ? AND succeeded = 0 AND at > ? ORDER BY at', args: [address, windowStart] },
  ], 'read');
  const failures = counted.rows.map((r) => ({ at: Number(r.at), address: String(r.address) }));
  const until = Math.max(refusedUntil(failures, policy, address), addressRefusedUntil(fromAddress.rows.map((r) => Number(r.at)), policy));
  // A refusal raced by a success or a lift ends now.
  return new Date(Math.max(until, now));
}

/** The users whose sign-in is refused now, from some address or from all, by lower-cased username. */
export async function listSignInLocks(db: Db, clock: Clock, policy: ThrottlePolicy = THROTTLE): Promise<Map<string, SignInLock>> {
  const now = clock.now().getTime();
  const result = await db.execute({
    sql: `${COUNTED} AND a.username IN (SELECT username FROM users) ORDER BY a.at`,
    args: { windowStart: now - policy.windowMs },
  });
  const byUser = new Map<string, Failure[]>();
  for (const r of result.rows) {
    const key = String(r.username).toLowerCase();
    byUser.set(key, [...(byUser.get(key) ?? []), { at: Number(r.at), address: String(r.address) }]);
  }
  const locks = new Map<string, SignInLock>();
  for (const [username, failures] of byUser) {
    const until = refusedUntil(failures, policy);
    if (until > now) locks.set(username, { until: new Date(until), failures: failures.length, addresses: new Set(failures.map((f) => f.address)).size });
  }
  return locks;
}

export async function signInLockOf(db: Db, clock: Clock, user: ManagedUser): Promise<SignInLock | undefined> {
  return (await listSignInLocks(db, clock)).get(user.username.toLowerCase());
}

export type LiftResult = { ok: true; user: ManagedUser; lifted: boolean } | { ok: false; reason: 'not_found' };

/**
 * An administrator lifts a user's lock: their failures so far stop counting, from every
 * address, as after a successful sign-in, so they can sign in at once. Refusals of an address
 * for every username (its own limit) stay. Nothing is written when there is no lock.
 */
export async function liftSignInLock(db: Db, clock: Clock, scope: Scope, userId: number): Promise<LiftResult> {
  const user = await getUser(db, userId);
  if (!user) return { ok: false, reason: 'not_found' };
  if (!(await signInLockOf(db, clock, user))) return { ok: true, user, lifted: false };
  await db.execute({
    sql: 'INSERT INTO sign_in_lock_lifts (at, username, lifted_by) VALUES (?, ?, ?)',
    args: [clock.now().getTime(), user.username, scope.userId],
  });
  return { ok: true, user, lifted: true };
}
