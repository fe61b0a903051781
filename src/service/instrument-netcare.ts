import type { AdaptedNetcare } from '../netcare-connection.ts';
import type { Metrics } from './metrics.ts';

// Outcomes in which Netcare gave no answer or an error: what an operator alerts on.
const FAILED = new Set(['unanswered', 'error', 'unreachable']);

/** The same Netcare port, each call timed and its outcome counted. */
export function instrumentNetcare(netcare: AdaptedNetcare, metrics: Metrics): AdaptedNetcare {
  const timed = <A extends unknown[], T extends { kind: string }>(call: string, work: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      const started = performance.now();
      const outcome = await work(...args);
      metrics.netcare(call, outcome.kind, (performance.now() - started) / 1000, FAILED.has(outcome.kind));
      return outcome;
    };
  return {
    ...netcare,
    send: timed('send', netcare.send.bind(netcare)),
    sendMessage: timed('send', netcare.sendMessage.bind(netcare)),
    status: timed('status', netcare.status.bind(netcare)),
    lookup: timed('lookup', netcare.lookup.bind(netcare)),
  };
}
