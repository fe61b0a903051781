// The standalone simulator's settings, from NETCARE_SIM_* variables; a bad value stops it
// with a message naming the variable.
import { FAULT_MODES, type FaultMode } from './fault.ts';
import { DEFAULT_REGISTRY, type RegistryConfig } from './registry.ts';

export type SimulatorConfig = { port: number; databaseUrl: string; confirmDelayMs: number; fault: FaultMode; registry: RegistryConfig };

export class SimulatorConfigError extends Error {}

export function loadSimulatorConfig(env: Record<string, string | undefined> = process.env): SimulatorConfig {
  return {
    port: wholeNumber('NETCARE_SIM_PORT', env.NETCARE_SIM_PORT, 3100, 1, 65535),
    databaseUrl: databaseUrl(env.NETCARE_SIM_DATABASE_URL),
    confirmDelayMs: wholeNumber('NETCARE_SIM_CONFIRM_DELAY_MS', env.NETCARE_SIM_CONFIRM_DELAY_MS, 60_000, 0, Number.MAX_SAFE_INTEGER),
    fault: faultMode(env.NETCARE_SIM_FAULT),
    registry: loadRegistryConfig(env, (problem) => {
      throw new SimulatorConfigError(problem);
    }),
  };
}

/**
 * The simulated registry's seed and shares (registry.ts), from NETCARE_SIM_REGISTRY_SEED,
 * NETCARE_SIM_MISMATCH_SHARE and NETCARE_SIM_CONFLICT_SHARE; the portal's embedded
 * simulator reads the same variables.
 */
export function loadRegistryConfig(env: Record<string, string | undefined>, fail: (problem: string) => never): RegistryConfig {
  const seed = env.NETCARE_SIM_REGISTRY_SEED;
  if (seed !== undefined && seed !== '' && !(/^\d{1,9}$/.test(seed))) fail(`NETCARE_SIM_REGISTRY_SEED must be a whole number of up to 9 digits (got "${seed}")`);
  return {
    seed: seed ? Number(seed) : DEFAULT_REGISTRY.seed,
    mismatchShare: share('NETCARE_SIM_MISMATCH_SHARE', env.NETCARE_SIM_MISMATCH_SHARE, DEFAULT_REGISTRY.mismatchShare, fail),
    conflictShare: share('NETCARE_SIM_CONFLICT_SHARE', env.NETCARE_SIM_CONFLICT_SHARE, DEFAULT_REGISTRY.conflictShare, fail),
  };
}

function share(name: string, value: string | undefined, fallback: number, fail: (problem: string) => never): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^(0|1|0?\.\d+)$/.test(value) || n > 1) fail(`${name} must be a share from 0 to 1, like 0.02 (got "${value}")`);
  return n;
}

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new SimulatorConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return n;
}

function databaseUrl(value: string | undefined): string {
  if (value === undefined || value === '') return 'file:db/netcare-sim.db';
  if (!/^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/.test(value) && value !== ':memory:') {
    throw new SimulatorConfigError(`NETCARE_SIM_DATABASE_URL must start with file:, libsql://, http(s):// or ws(s):// (got "${value}")`);
  }
  return value;
}

function faultMode(value: string | undefined): FaultMode {
  if (value === undefined || value === '') return 'none';
  if (!FAULT_MODES.includes(value as FaultMode)) {
    throw new SimulatorConfigError(`NETCARE_SIM_FAULT must be one of ${FAULT_MODES.join(', ')} (got "${value}")`);
  }
  return value as FaultMode;
}
