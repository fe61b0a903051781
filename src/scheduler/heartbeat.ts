import { renewClaims } from '../domain/pipeline/claims.ts';
import type { PipelineDeps } from '../domain/pipeline/pipeline.ts';

/** lastBeat: when the claims were last renewed (the start, before the first beat) */
export type Heartbeat = { stop(): Promise<void>; lastBeat(): Date };

/**
 * Renews this process's claims every `everyMs` while it lives; when it dies (kill -9, a
 * lost machine) the renewals stop and another portal takes its run once the claims lapse.
 * A renewal that fails (a busy database) is logged and tried again at the next beat.
 */
export function startHeartbeat(deps: PipelineDeps, everyMs: number): Heartbeat {
  let beating: Promise<void> = Promise.resolve();
  let last = new Date();
  const timer = setInterval(() => {
    beating = renewClaims(deps).then(() => { last = new Date(); }, (error) =>
      console.error(JSON.stringify({ level: 'error', msg: 'claim renewal failed', error: String(error) })));
  }, everyMs);
  return {
    lastBeat: () => last,
    async stop() {
      clearInterval(timer);
      await beating;
    },
  };
}
