/**
 * How sign-in guessing is slowed (issue 13). Failures are counted within the window and since
 * the username's last success or lifted lock; a refused attempt is recorded but is no guess.
 * - per (username, address): a small limit, so one address guessing stops only itself;
 * - per username from anywhere: a higher limit, before the username alone is refused;
 * - per username, a delay before the next attempt that doubles with each failure past the
 *   free ones, capped: guessing from many addresses is slow, a typo or two costs nothing;
 * - per address, whatever the usernames (refusals included).
 */
export type ThrottlePolicy = {
  windowMs: number; perPair: number; perUsername: number; perAddress: number;
  freeFailures: number; firstDelayMs: number; maxDelayMs: number;
};

export const THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000, perPair: 5, perUsername: 30, perAddress: 20,
  freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 30_000,
};

/** The wait after `failures` counted failures; the reservation computes the same in SQL. */
export function delayAfter(failures: number, policy: ThrottlePolicy = THROTTLE): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.firstDelayMs * 2 ** Math.min(failures - policy.freeFailures, 30), policy.maxDelayMs);
}

/** A counted failure: when, and from where. */
export type Failure = { at: number; address: string };

/** When `limit` is reached by the times given (oldest first), the instant the oldest that counts leaves the window. */
function limitEnds(times: number[], limit: number, windowMs: number): number {
  return times.length >= limit ? times[times.length - limit] + windowMs : 0;
}

/**
 * The instant (ms) until which a username's counted failures (oldest first) refuse its next
 * attempt: the delay, the username's limit, and the pair limit of `address`, or of every
 * address when none is given (how the Users page sees it). 0 when nothing refuses.
 */
export function refusedUntil(failures: Failure[], policy: ThrottlePolicy = THROTTLE, address?: string): number {
  if (failures.length === 0) return 0;
  const ends = [
    failures[failures.length - 1].at + delayAfter(failures.length, policy),
    limitEnds(failures.map((f) => f.at), policy.perUsername, policy.windowMs),
  ];
  const addresses = address === undefined ? new Set(failures.map((f) => f.address)) : [address];
  for (const a of addresses) {
    ends.push(limitEnds(failures.filter((f) => f.address === a).map((f) => f.at), policy.perPair, policy.windowMs));
  }
  return Math.max(...ends);
}

/** When an address's failures and refusals (oldest first, any username) stop refusing it. */
export function addressRefusedUntil(times: number[], policy: ThrottlePolicy = THROTTLE): number {
  return limitEnds(times, policy.perAddress, policy.windowMs);
}
