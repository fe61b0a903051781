import type { Config } from './config.ts';
import type { Clock } from './domain/clock.ts';
import type { Netcare } from './domain/netcare.ts';
import { createNetcareClient } from './netcare/client.ts';
import { buildCparGroup } from './netcare/payload.ts';
import { startSimulator } from './netcare-sim/embed.ts';

export type NetcareConnection = { netcare: Netcare; close(): Promise<void> };

/**
 * The Netcare the portal talks to: NETCARE_URL when set, otherwise the simulator started
 * on a loopback port — real HTTP either way. The embedded simulator shares the portal's
 * clock, so `tick --at` sees confirmations at the simulated time.
 */
export async function connectNetcare(config: Config, clock: Clock): Promise<NetcareConnection> {
  if (config.netcareUrl) return { netcare: adapt(config.netcareUrl, `Netcare at ${config.netcareUrl}`), close: async () => {} };
  const simulator = await startSimulator({
    databaseUrl: config.netcareSimDatabaseUrl,
    port: 0,
    confirmDelayMs: config.netcareSimConfirmDelayMs,
    clock,
  });
  return { netcare: adapt(simulator.url, `embedded Netcare simulator at ${simulator.url}`), close: () => simulator.close() };
}

function adapt(baseUrl: string, label: string): Netcare {
  const client = createNetcareClient({ baseUrl });
  return {
    label,
    send: (snapshot, submissionId) => client.submit(buildCparGroup(snapshot, submissionId), String(submissionId)),
    status: (reference) => client.status(reference),
  };
}
