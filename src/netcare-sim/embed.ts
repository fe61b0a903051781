// Serves the simulator over real HTTP on a loopback port, for tests and for a portal that has
// no NETCARE_URL: the adapter is exercised exactly as against the real Netcare.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { systemClock, type Clock } from '../domain/time/clock.ts';
import { createSimulatorApp } from './app.ts';
import type { Fault } from './fault.ts';
import { openSimulatorDb } from './store.ts';
import { createRequestLog } from './request-log.ts';
import { DEFAULT_REGISTRY, type RegistryConfig } from './registry.ts';

export type SimulatorServerOptions = {
  databaseUrl: string;
  /** 0 (the default) takes any free port */
  port?: number;
  /** 60 s by default */
  confirmDelayMs?: number;
  fault?: Fault;
  clock?: Clock;
  /** the registry's seed and shares; DEFAULT_REGISTRY when absent */
  registry?: RegistryConfig;
};

export type RunningSimulator = { url: string; port: number; close(): Promise<void> };

export async function startSimulator(options: SimulatorServerOptions): Promise<RunningSimulator> {
  const db = await openSimulatorDb(options.databaseUrl);
  const closing = new AbortController();
  const log = createRequestLog(db);
  const app = createSimulatorApp({
    db, log, clock: options.clock ?? systemClock, confirmDelayMs: options.confirmDelayMs ?? 60_000,
    fault: options.fault, closing: closing.signal, registry: options.registry ?? DEFAULT_REGISTRY,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
    started.once('error', reject);
  }).catch((error: unknown) => {
    db.close();
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      closing.abort();
      const closed = new Promise((resolve) => server.close(resolve));
      // close() alone waits for open requests, and a hanging one never ends by itself.
      server.closeAllConnections();
      await closed;
      await log.flushed();
      db.close();
    },
  };
}
