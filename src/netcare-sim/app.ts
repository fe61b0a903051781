// A stand-in for Alberta Netcare's CPAR endpoint, speaking the wire format of
// src/netcare/README.md over real HTTP, with switchable faults for tests and demos.
import { setTimeout as pause } from 'node:timers/promises';
import { Hono } from 'hono';
import type { Clock } from '../domain/time/clock.ts';
import type { Db } from '../domain/database/db.ts';
import { summarizeProblems } from '../netcare/payload.ts';
import { readReceipt } from './receipt.ts';
import { parseFault, type Fault, type FaultMode } from './fault.ts';
import { findSubmission, findSubmissionByKey, listRequests, listSubmissions, storeOnce, type StoredSubmission } from './store.ts';
import type { RequestLog } from './request-log.ts';
import { judgePanel, type RegistryConfig } from './registry.ts';
import { buildRegistryOutcome } from '../netcare/registry-outcome.ts';

export type SimulatorOptions = {
  db: Db;
  /** where every request to /cpar is recorded */
  log: RequestLog;
  clock: Clock;
  /** how long after receipt a submission stays pending */
  confirmDelayMs: number;
  fault?: Fault;
  /** the registry's seed and shares (registry.ts) */
  registry: RegistryConfig;
  /** aborted when the server shuts down, so slow and hanging requests end */
  closing?: AbortSignal;
};

const REJECTION = 'Netcare rejected the panel: demographic mismatch with the provincial client registry';

export function createSimulatorApp({ db, log, clock, confirmDelayMs, fault: initialFault, registry, closing }: SimulatorOptions) {
  let fault: Fault = initialFault ?? { mode: 'none' };
  let faultUses = 0;
  const app = new Hono<{ Variables: { faultMode: FaultMode } }>();

  app.get('/health', (c) => c.json({ ok: true }));

  app.put('/_sim/fault', async (c) => {
    const parsed = parseFault(await c.req.json().catch(() => null));
    if (!parsed.ok) return c.json({ reason: parsed.problem }, 400);
    fault = parsed.fault;
    faultUses = 0;
    return c.json(fault);
  });

  app.get('/_sim/submissions', async (c) => {
    const now = clock.now().getTime();
    await log.flushed();
    const submissions = (await listSubmissions(db)).map((s) => ({
      idempotencyKey: s.idempotencyKey, reference: s.reference, panelNumber: s.panelNumber,
      patientCount: s.patientCount, receivedCount: s.receivedCount, ...statusOf(s, now),
      outcome: statusOf(s, now).status === 'confirmed' && s.outcome !== null ? JSON.parse(s.outcome) as unknown : undefined,
    }));
    return c.json({ submissions });
  });

  app.get('/_sim/requests', async (c) => {
    await log.flushed();
    return c.json({ requests: await listRequests(db) });
  });

  app.use('/cpar/*', async (c, next) => {
    const current = fault;
    if (current.count !== undefined && ++faultUses >= current.count) fault = { mode: 'none' };
    log.record({
      // A lookup names its key in the query.
      method: c.req.method, path: c.req.path, idempotencyKey: c.req.header('Idempotency-Key') ?? c.req.query('idempotency-key') ?? null,
      fault: current.mode, at: clock.now().getTime(),
    });
    if (current.mode === '500') return c.json({ reason: 'Netcare is unavailable (simulated)' }, 500);
    if (current.mode === '429') {
      c.header('Retry-After', '1');
      return c.json({ reason: 'Too many requests (simulated)' }, 429);
    }
    if (current.mode === 'hang' || current.mode === 'slow') {
      const waitMs = current.mode === 'hang' ? 2 ** 31 - 1 : (current.slowMs ?? 15_000);
      const finished = await pause(waitMs, true, { signal: closing }).catch(() => false);
      if (!finished || current.mode === 'hang') return c.body(null, 503);
    }
    c.set('faultMode', current.mode);
    await next();
  });

  app.post('/cpar/submissions', async (c) => {
    const idempotencyKey = c.req.header('Idempotency-Key');
    if (!idempotencyKey) return c.json({ reason: 'The Idempotency-Key header is required' }, 400);
    if (!/^application\/(fhir\+)?json\b/.test(c.req.header('Content-Type') ?? '')) {
      return c.json({ reason: 'Content-Type must be application/fhir+json' }, 415);
    }
    // Parsed once from the bytes that arrived; only their digest is kept (see store.ts).
    const payload = await c.req.arrayBuffer();
    const receipt = readReceipt(new Uint8Array(payload));
    if (receipt.problems.length > 0) return c.json({ reason: `The panel message is not valid: ${summarizeProblems(receipt.problems)}` }, 422);

    const rejected = c.get('faultMode') === 'reject';
    const judged = judgePanel(registry, receipt.members!);
    const { stored, samePayload, submission } = await storeOnce(db, {
      idempotencyKey,
      panelNumber: receipt.panelNumber,
      patientCount: receipt.patientCount,
      receivedAt: clock.now().getTime(),
      verdict: rejected ? 'rejected' : 'confirmed',
      reason: rejected ? REJECTION : null,
      outcome: rejected ? null : JSON.stringify(buildRegistryOutcome(judged.counted, receipt.patientCount, judged.findings)),
      payloadSha256: receipt.digest,
    });
    if (stored) return c.json({ reference: submission.reference }, 202);
    // A replay must be the same message: reusing a key for another one is a sender's bug.
    if (!samePayload) {
      return c.json({ reason: 'This Idempotency-Key was already used for a different panel message' }, 422);
    }
    return c.json({ reference: submission.reference }, 200);
  });

  // What became of a key whose send went unanswered: its reference and status, or 404.
  app.get('/cpar/submissions', async (c) => {
    const key = c.req.query('idempotency-key');
    if (!key) return c.json({ reason: 'The idempotency-key query parameter is required' }, 400);
    const submission = await findSubmissionByKey(db, key);
    if (!submission) return c.json({ reason: 'unknown key' }, 404);
    // the status only: the outcome comes with the status answer the lookup leads to
    return c.json({ reference: submission.reference, ...statusOf(submission, clock.now().getTime()) });
  });

  app.get('/cpar/submissions/:reference', async (c) => {
    const submission = await findSubmission(db, c.req.param('reference'));
    if (!submission) return c.json({ reason: 'No submission has this reference' }, 404);
    const status = statusOf(submission, clock.now().getTime());
    if (status.status !== 'confirmed' || submission.outcome === null) return c.json(status);
    // 'garble': the outcome without its count, as a broken Netcare might send it
    const outcome = c.get('faultMode') === 'garble'
      ? JSON.stringify({ ...JSON.parse(submission.outcome) as object, extension: [] }) : submission.outcome;
    // stored as JSON text: sent as it is, not parsed and written again
    return c.body(`{"status":"confirmed","outcome":${outcome}}`, 200, { 'Content-Type': 'application/json' });
  });

  function statusOf(s: Pick<StoredSubmission, 'verdict' | 'receivedAt' | 'reason'>, now: number) {
    if (now < s.receivedAt + confirmDelayMs) return { status: 'pending' as const };
    if (s.verdict === 'confirmed') return { status: 'confirmed' as const };
    return { status: 'rejected' as const, reason: s.reason ?? REJECTION };
  }

  return app;
}
