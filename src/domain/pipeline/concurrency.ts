// How much the pipeline does at once.

/**
 * Requests to Netcare at once: while one waits for Netcare another is sent. Each submission
 * is claimed on its own, so this changes nothing about exactly-once.
 */
export const CONCURRENCY = 4;

/** At most `limit` of the calls at once; the others wait their turn. */
export function limited(limit: number) {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}

/** `work` on every item, CONCURRENCY at a time. */
export async function eachConcurrently<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}
