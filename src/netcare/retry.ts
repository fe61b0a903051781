// Netcare can be down or throttling for a while, and a monthly run must still end: a transient
// failure is retried with exponential backoff and full jitter (so many clinics do not retry in
// step) until a total time budget is spent.
export type Attempt<T> = { done: T } | { retry: string; retryAfterMs?: number; trouble: Trouble };

/** What went wrong with one attempt: Netcare answered with a status, or no answer came. */
export type Trouble = { answered: number } | { written: boolean };

/** Given up: the last problem in words (with the attempts and time), and every attempt's trouble. */
export type GaveUp = { gaveUp: string; troubles: Trouble[] };

export type RetryPolicy = {
  retryBudgetMs: number;
  /** the longest one attempt can take (its timeout) */
  attemptMs: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
};

/**
 * Calls `attempt` until it is done. Another attempt is made only when it could end, timeout
 * included, within the budget; otherwise this gives up with the last transient problem.
 */
export async function retryWithinBudget<T>(
  policy: RetryPolicy,
  attempt: () => Promise<Attempt<T>>,
): Promise<{ done: T } | GaveUp> {
  const started = performance.now();
  const troubles: Trouble[] = [];
  for (let tries = 1; ; tries++) {
    const result = await attempt();
    if ('done' in result) return result;
    troubles.push(result.trouble);
    const elapsed = performance.now() - started;
    const wait = result.retryAfterMs ?? policy.random() * policy.baseDelayMs * 2 ** (tries - 1);
    if (elapsed + wait + policy.attemptMs > policy.retryBudgetMs) {
      return { gaveUp: `${result.retry}; gave up after ${tries} ${tries === 1 ? 'attempt' : 'attempts'} in ${(elapsed / 1000).toFixed(1)} s`, troubles };
    }
    await policy.sleep(wait);
  }
}
