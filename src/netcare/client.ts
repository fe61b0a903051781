// The adapter to Alberta Netcare's CPAR endpoint (or the simulator: same HTTP). It turns every
// answer into one of a few outcomes the pipeline acts on; transient trouble is retried here so
// the caller never sees it. The wire format is documented in README.md.
import { setTimeout as delay } from 'node:timers/promises';
import { summarizeProblems } from './payload.ts';
import type { CparMessage } from './encode.ts';
import { retryWithinBudget, type Attempt, type RetryPolicy } from './retry.ts';
import { send, type Answer, type Outgoing } from './http.ts';

import type { SendOutcome, StatusOutcome } from '../domain/netcare.ts';

// The outcomes are the domain's own: the pipeline acts on exactly what this adapter returns.
export type { StatusOutcome };
export type SubmitOutcome = SendOutcome;

export type NetcareClientOptions = {
  baseUrl: string;
  /** per request */
  timeoutMs?: number;
  /** total time one submit or status call may spend retrying */
  retryBudgetMs?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

export type NetcareClient = {
  label: string;
  /** a message with problems is refused here: nothing reaches Netcare */
  submit(message: CparMessage, idempotencyKey: string): Promise<SubmitOutcome>;
  status(reference: string): Promise<StatusOutcome>;
};


export function createNetcareClient(options: NetcareClientOptions): NetcareClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const retryBudgetMs = options.retryBudgetMs ?? 60_000;
  // A budget shorter than the timeout still gets its one attempt, cut to the budget.
  const attemptMs = Math.ceil(Math.min(options.timeoutMs ?? 10_000, retryBudgetMs));
  const policy: RetryPolicy = {
    retryBudgetMs,
    attemptMs,
    baseDelayMs: options.baseDelayMs ?? 500,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    random: options.random ?? Math.random,
  };

  async function exchange<T>(path: string, init: Outgoing, interpret: (answer: Answer) => Attempt<T>) {
    const result = await retryWithinBudget(policy, async () => interpret(await send(`${baseUrl}${path}`, init, attemptMs)));
    return 'done' in result ? result.done : { kind: 'unreachable' as const, detail: result.gaveUp };
  }

  return {
    label: `Netcare at ${baseUrl}`,

    async submit(message, idempotencyKey) {
      if (message.problems.length > 0) return { kind: 'rejected', reason: summarizeProblems(message.problems) };
      const init: Outgoing = {
        method: 'POST',
        headers: { 'Content-Type': 'application/fhir+json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey },
        body: message.body,
      };
      return exchange<SubmitOutcome>('/cpar/submissions', init, (answer) => {
        if ('failed' in answer) return { retry: answer.failed };
        const reference = isRecord(answer.body) ? answer.body.reference : undefined;
        if ((answer.status === 202 || answer.status === 200) && typeof reference === 'string' && reference !== '') {
          return { done: { kind: 'accepted', reference } };
        }
        if (isPermanent(answer.status)) return { done: { kind: 'rejected', reason: reasonOf(answer) } };
        return transient(answer);
      });
    },

    async status(reference) {
      const init: Outgoing = { method: 'GET', headers: { Accept: 'application/json' } };
      return exchange<StatusOutcome>(`/cpar/submissions/${encodeURIComponent(reference)}`, init, (answer) => {
        if ('failed' in answer) return { retry: answer.failed };
        if (answer.status === 404) return { done: { kind: 'rejected', reason: 'Netcare does not know this submission' } };
        if (isPermanent(answer.status)) return { done: { kind: 'rejected', reason: reasonOf(answer) } };
        const body = isRecord(answer.body) ? answer.body : {};
        if (answer.status === 200 && (body.status === 'pending' || body.status === 'confirmed')) {
          return { done: { kind: body.status } };
        }
        if (answer.status === 200 && body.status === 'rejected') {
          return { done: { kind: 'rejected', reason: typeof body.reason === 'string' && body.reason ? body.reason : 'Netcare rejected the submission' } };
        }
        return transient(answer);
      });
    },
  };
}

/** 4xx means the request itself is wrong and sending it again cannot help, except these two. */
function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function transient(answer: Extract<Answer, { status: number }>): Attempt<never> {
  return { retry: `Netcare answered ${answer.status}`, retryAfterMs: answer.retryAfterMs };
}

/** Netcare's own words: `{ reason }`, or the diagnostics of a FHIR OperationOutcome. */
function reasonOf(answer: Extract<Answer, { status: number }>): string {
  const body = answer.body;
  if (isRecord(body) && typeof body.reason === 'string' && body.reason) return body.reason;
  if (isRecord(body) && body.resourceType === 'OperationOutcome' && Array.isArray(body.issue)) {
    const diagnostics = body.issue.flatMap((i) => (isRecord(i) && typeof i.diagnostics === 'string' ? [i.diagnostics] : []));
    if (diagnostics.length > 0) return diagnostics.join('; ');
  }
  return `Netcare refused the request (HTTP ${answer.status})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
