// The adapter to Alberta Netcare's CPAR endpoint (or the simulator: same HTTP). It turns every
// answer into one of a few outcomes the pipeline acts on; transient trouble is retried here so
// the caller never sees it, and what cannot be settled here is told apart: no answer after the
// request was written (it may have been received) from certainly not received. The wire format
// is documented in README.md.
import { setTimeout as delay } from 'node:timers/promises';
import { summarizeProblems } from './payload.ts';
import { readRegistryOutcome } from './registry-outcome.ts';
import type { CparMessage } from './encode.ts';
import { retryWithinBudget, type Attempt, type GaveUp, type RetryPolicy } from './retry.ts';
import { send, type Answer, type Outgoing } from './http.ts';

import type { LookupOutcome, SendOutcome, StatusOutcome } from '../domain/submissions/netcare.ts';

// The outcomes are the domain's own: the pipeline acts on exactly what this adapter returns.
export type { LookupOutcome, StatusOutcome };
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
  /** where a malformed answer is reported (paths only, never patient data); stderr by default */
  warn?: (line: string) => void;
};

export type NetcareClient = {
  label: string;
  /** a message with problems is refused here: nothing reaches Netcare */
  submit(message: CparMessage, idempotencyKey: string): Promise<SubmitOutcome>;
  status(reference: string): Promise<StatusOutcome>;
  /** what Netcare knows of a key: its submission's reference, or that it never received it */
  lookup(idempotencyKey: string): Promise<LookupOutcome>;
};


export function createNetcareClient(options: NetcareClientOptions): NetcareClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const warn = options.warn ?? ((line: string) => console.error(line));
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

  async function exchange<T>(path: string, init: Outgoing, interpret: (answer: Answer) => Attempt<T>): Promise<T | GaveUp> {
    const result = await retryWithinBudget(policy, async () => interpret(await send(`${baseUrl}${path}`, init, attemptMs)));
    return 'done' in result ? result.done : result;
  }

  /** A safe request (a GET) that could not be done is just unreachable: asking again is harmless. */
  async function ask<T>(path: string, interpret: (answer: Answer) => Attempt<T>): Promise<T | { kind: 'unreachable'; detail: string }> {
    const result = await exchange(path, { method: 'GET', headers: { Accept: 'application/json' } }, interpret);
    return isGaveUp(result) ? { kind: 'unreachable', detail: result.gaveUp } : result;
  }

  return {
    label: `Netcare at ${baseUrl}`,

    async submit(message, idempotencyKey) {
      if (message.problems.length > 0) return { kind: 'not_sent', reason: summarizeProblems(message.problems) };
      const init: Outgoing = {
        method: 'POST',
        headers: { 'Content-Type': 'application/fhir+json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey },
        body: message.body,
      };
      const result = await exchange<SubmitOutcome>('/cpar/submissions', init, (answer) => {
        if ('failed' in answer) return failedAttempt(answer);
        const reference = isRecord(answer.body) ? answer.body.reference : undefined;
        if ((answer.status === 202 || answer.status === 200) && typeof reference === 'string' && reference !== '') {
          return { done: { kind: 'accepted', reference } };
        }
        if (isPermanent(answer.status)) return { done: { kind: 'rejected', reason: reasonOf(answer) } };
        return transient(answer);
      });
      return isGaveUp(result) ? unsettled(result) : result;
    },

    async status(reference) {
      return ask<StatusOutcome>(`/cpar/submissions/${encodeURIComponent(reference)}`, (answer) => {
        if ('failed' in answer) return failedAttempt(answer);
        if (answer.status === 404) return { done: { kind: 'rejected', reason: 'Netcare does not know this submission' } };
        if (isPermanent(answer.status)) return { done: { kind: 'rejected', reason: reasonOf(answer) } };
        const body = isRecord(answer.body) ? answer.body : {};
        if (answer.status === 200 && body.status === 'pending') return { done: { kind: 'pending' } };
        if (answer.status === 200 && body.status === 'confirmed') {
          // Kept Pending until an outcome can be read whole: never half-applied.
          const read = readRegistryOutcome(body.outcome);
          if (read.ok) return { done: { kind: 'confirmed', registry: read.outcome } };
          warn(JSON.stringify({ level: 'warn', msg: 'Netcare confirmed a submission with a malformed registry outcome; asking again at the next poll', reference, problem: read.problem }));
          return { done: { kind: 'unreachable', detail: `Netcare's registry outcome could not be read (${read.problem})` } };
        }
        if (answer.status === 200 && body.status === 'rejected') {
          return { done: { kind: 'rejected', reason: typeof body.reason === 'string' && body.reason ? body.reason : 'Netcare rejected the submission' } };
        }
        return transient(answer);
      });
    },

    async lookup(idempotencyKey) {
      return ask<LookupOutcome>(`/cpar/submissions?idempotency-key=${encodeURIComponent(idempotencyKey)}`, (answer) => {
        if ('failed' in answer) return failedAttempt(answer);
        if (answer.status === 404) return { done: { kind: 'unknown_key' } };
        const reference = isRecord(answer.body) ? answer.body.reference : undefined;
        if (answer.status === 200 && typeof reference === 'string' && reference !== '') return { done: { kind: 'known', reference } };
        return transient(answer);
      });
    },
  };
}

function isGaveUp(result: unknown): result is GaveUp {
  return isRecord(result) && 'gaveUp' in result;
}

/**
 * A send given up on: if any attempt went unanswered after it was written, Netcare may hold
 * the panel (a later error says nothing about that one); otherwise it certainly does not, and
 * the last answer Netcare gave, if any, says why.
 */
function unsettled({ gaveUp, troubles }: GaveUp): SubmitOutcome {
  if (troubles.some((t) => 'written' in t && t.written)) return { kind: 'unanswered', detail: gaveUp };
  const answered = troubles.filter((t) => 'answered' in t);
  if (answered.length > 0) return { kind: 'error', status: answered[answered.length - 1].answered, detail: gaveUp };
  return { kind: 'unreachable', detail: gaveUp };
}

function failedAttempt(answer: Extract<Answer, { failed: string }>): Attempt<never> {
  return { retry: answer.failed, trouble: { written: answer.written } };
}
/** 4xx means the request itself is wrong and sending it again cannot help, except these two. */
function isPermanent(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function transient(answer: Extract<Answer, { status: number }>): Attempt<never> {
  return { retry: `Netcare answered ${answer.status}`, retryAfterMs: answer.retryAfterMs, trouble: { answered: answer.status } };
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
