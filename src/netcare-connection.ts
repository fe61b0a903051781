import type { Config } from './config.ts';
import type { Clock } from './domain/time/clock.ts';
import type { Netcare, SendOutcome } from './domain/submissions/netcare.ts';
import { createNetcareClient, type NetcareClientOptions } from './netcare/client.ts';
import { messageFromSnapshot, type CparMessage } from './netcare/encode.ts';
import { startSimulator } from './netcare-sim/embed.ts';

export type NetcareConnection = { netcare: AdaptedNetcare; close(): Promise<void> };

/** The port, and a way to send a message already built (the run writes it from the members' columns: src/preparer/panels.ts). */
export type AdaptedNetcare = Netcare & { url: string; sendMessage(message: CparMessage, submissionId: number): Promise<SendOutcome> };

/**
 * The Netcare the portal talks to: NETCARE_URL when set, otherwise the simulator started
 * on a loopback port — real HTTP either way. The embedded simulator shares the portal's
 * clock, so `tick --at` sees confirmations at the simulated time.
 */
export async function connectNetcare(config: Config, clock: Clock, installation: string): Promise<NetcareConnection> {
  const options = { timeoutMs: config.netcareTimeoutMs, retryBudgetMs: config.netcareRetryBudgetMs };
  if (config.netcareUrl) {
    return { netcare: adapt(config.netcareUrl, `Netcare at ${config.netcareUrl}`, installation, options), close: async () => {} };
  }
  const simulator = await startSimulator({
    databaseUrl: config.netcareSimDatabaseUrl,
    port: 0,
    confirmDelayMs: config.netcareSimConfirmDelayMs,
    registry: config.netcareSimRegistry,
    clock,
  });
  return {
    netcare: adapt(simulator.url, `embedded Netcare simulator at ${simulator.url}`, installation, options),
    close: () => simulator.close(),
  };
}

// A status check is repeated on every poll anyway: it gives up sooner than a send, so one
// unreachable Netcare does not hold the poll of every other Pending submission for a minute.
const STATUS_RETRY_BUDGET_MS = 15_000;

/**
 * The domain's view of a Netcare endpoint: snapshots in, outcomes out. The Idempotency-Key
 * is the submission's id within this installation.
 */
export function adapt(baseUrl: string, label: string, installation: string,
  options: Omit<NetcareClientOptions, 'baseUrl'> = {}): AdaptedNetcare {
  const sender = createNetcareClient({ ...options, baseUrl });
  const checker = createNetcareClient({
    ...options, baseUrl, retryBudgetMs: Math.min(options.retryBudgetMs ?? STATUS_RETRY_BUDGET_MS, STATUS_RETRY_BUDGET_MS),
  });
  const key = (submissionId: number) => `${installation}-${submissionId}`;
  return {
    label,
    url: baseUrl,
    send: (snapshot, submissionId) => sender.submit(messageFromSnapshot(snapshot, submissionId), key(submissionId)),
    sendMessage: (message, submissionId) => sender.submit(message, key(submissionId)),
    status: (reference) => checker.status(reference),
    lookup: (submissionId) => checker.lookup(key(submissionId)),
  };
}
